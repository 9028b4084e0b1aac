"""Occasions on the calendar: recurring dates and scheduled events, known and assumed.

Shared by the occasion terms of the timing model and the occasion-venue term.
"""

from __future__ import annotations

from datetime import date, timedelta

from forecast.domain.record import Dataset, Scheduled


def scheduled_instances(
    record: Dataset, family: str, first: date, last: date
) -> tuple[list[tuple[date, date]], list[str]]:
    """Known instances of a scheduled-occasion family, plus assumed ones after ``as_of``.

    A family seen in at least two different years (the Eastern Economic Forum) is assumed to
    recur on the month and day of its latest known instance in each later year without a known
    one; the assumption is returned as text so outputs can state it.
    """
    rows = [s for s in record.scheduled if s.family == family]
    spans = [(s.start, s.end) for s in rows]
    notes: list[str] = []
    as_of = record.known_as_of
    if rows and as_of is not None and len({s.start.year for s in rows}) >= 2:
        latest: Scheduled = max(rows, key=lambda s: s.start)
        known_years = {s.start.year for s in rows}
        for year in range(max(as_of.year, latest.start.year + 1), last.year + 1):
            if year in known_years:
                continue
            try:
                start = latest.start.replace(year=year)
                end = latest.end.replace(year=year + (latest.end.year - latest.start.year))
            except ValueError:
                continue
            if start > as_of and start <= last:
                spans.append((start, end))
                notes.append(
                    f"{latest.name} {year} assumed on {start:%b %d}–{end:%b %d} "
                    f"(dates of {latest.start.year}; not yet announced as of {as_of})"
                )
    return spans, notes


def occasion_spans(
    record: Dataset, occ: str, first: date, last: date, before: int, after: int
) -> tuple[list[tuple[date, date]], list[str]]:
    """The padded windows of one occasion id (a recurring date or a scheduled family)."""
    rec = next((r for r in record.recurring if r.id == occ), None)
    if rec is not None:
        spans = [
            (day - timedelta(days=before), day + timedelta(days=after))
            for day in rec.dates(first.year - 1, last.year + 1)
        ]
        return spans, []
    raw, notes = scheduled_instances(record, occ, first, last)
    return [(s - timedelta(days=before), e + timedelta(days=after)) for s, e in raw], notes
