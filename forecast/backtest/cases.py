"""The cases file of a backtest (``--cases``): analysts' calls, each scored to its own horizon.

A cases CSV has the columns :data:`CASE_COLUMNS` (``as_of`` and ``horizon_end`` required), one
:class:`Case` per row. :func:`load_cases` reads and checks it against the dataset before any
sampling: every problem is one line naming the file, the line and the column. A case's
``venue`` is ``any``, a side or a venue class of the dataset's dyad (:func:`venue_sets`).
"""

from __future__ import annotations

import csv
import difflib
import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from forecast.domain.dyad import Dyad
from forecast.domain.record import Dataset
from forecast.errors import InputError
from forecast.io.safe_read import decode_text, read_input

CASE_COLUMNS = ("as_of", "horizon_end", "label", "venue", "analyst_call", "source")


def venue_sets(dyad: Dyad) -> dict[str, tuple[str, ...]]:
    """What a case's ``venue`` may name: ``any``, a side (its venues), or one venue class."""
    return {
        "any": dyad.venue_ids,
        **{s.id: dyad.venues_of(s.id) for s in dyad.sides},
        **{v: (v,) for v in dyad.venue_ids},
    }


@dataclass(frozen=True)
class Case:
    """An analyst's call: will a summit (at a venue) happen between ``as_of`` and a date?"""

    as_of: date
    horizon_end: date
    label: str
    venue: str = "any"
    analyst_call: str = ""
    source: str = ""
    line: int = 0
    venues: tuple[str, ...] = ()  # the venue classes the call names (``venue``, resolved)

    @property
    def days(self) -> int:
        """The horizon's length: days from ``as_of`` to ``horizon_end``."""
        return (self.horizon_end - self.as_of).days


def load_cases(path: str | Path, dataset: Dataset, data: bytes | None = None) -> list[Case]:
    """Read a cases CSV: ``as_of,horizon_end`` and optional ``label,venue,analyst_call,source``.

    Each case must start on or after the dataset's start and end by its coverage end, since
    its outcome must be known. ``venue`` is ``any`` (the default), ``russia`` or a venue class.
    """
    path = Path(path)
    # read once, as a regular file of bounded size: a FIFO or a device is refused at once; a
    # caller that hashes the file passes the bytes it hashed as ``data``
    if data is None:
        data = read_input(path, what="cases")
    text = decode_text(data, path).removeprefix("\ufeff")
    try:
        with io.StringIO(text, newline="") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            for col in ("as_of", "horizon_end"):
                if col not in header:
                    raise InputError(path, "header", f"missing column {col!r}")
            for col in header:
                if col not in CASE_COLUMNS:
                    hint = difflib.get_close_matches(col, CASE_COLUMNS, n=1, cutoff=0.6)
                    raise InputError(
                        path,
                        f"header, column {col!r}",
                        "unknown column"
                        + (
                            f"; did you mean '{hint[0]}'?" if hint else f"; expected {CASE_COLUMNS}"
                        ),
                    )
            cases: list[Case] = []
            for raw in reader:
                line = reader.line_num
                if None in raw:
                    raise InputError(path, f"line {line}", "more fields than the header has")
                row = {k.strip(): (v or "").strip() for k, v in raw.items()}
                cases.append(_case(path, line, row, dataset))
    except csv.Error as exc:
        raise InputError(path, None, f"cannot read the CSV ({exc})") from None
    if not cases:
        raise InputError(path, None, "expected at least one case row")
    return cases


def _case(path: Path, line: int, row: dict, dataset: Dataset) -> Case:
    first, last = dataset.meta.coverage_start, dataset.meta.coverage_end

    def day(col: str) -> date:
        try:
            return date.fromisoformat(row.get(col, ""))
        except ValueError:
            raise InputError(
                path,
                f"line {line}, column {col}",
                f"expected a date as YYYY-MM-DD (got {row[col]!r})",
            ) from None

    as_of, end = day("as_of"), day("horizon_end")
    if as_of < first:
        raise InputError(
            path,
            f"line {line}, column as_of",
            f"expected a date on or after the dataset's start {first}",
        )
    if end <= as_of:
        raise InputError(
            path, f"line {line}, column horizon_end", f"expected a date after as_of {as_of}"
        )
    if end > last:
        raise InputError(
            path,
            f"line {line}, column horizon_end",
            f"expected a date on or before the dataset's coverage end {last} (the outcome must "
            "be known)",
        )
    if (end - as_of).days > 1826:
        raise InputError(
            path, f"line {line}, column horizon_end", "expected at most 5 years after as_of"
        )
    venue = row.get("venue") or "any"
    allowed = venue_sets(dataset.dyad)
    if venue not in allowed:
        hint = difflib.get_close_matches(venue, list(allowed), n=1, cutoff=0.6)
        raise InputError(
            path,
            f"line {line}, column venue",
            f"unknown venue {venue!r}; "
            + (f"did you mean '{hint[0]}'?" if hint else f"expected one of {', '.join(allowed)}"),
        )
    label = row.get("label") or f"{as_of} to {end}"
    return Case(
        as_of=as_of,
        horizon_end=end,
        label=label,
        venue=venue,
        venues=allowed[venue],
        analyst_call=row.get("analyst_call", ""),
        source=row.get("source", ""),
        line=line,
    )
