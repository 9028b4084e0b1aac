"""Piecewise-constant covariate paths, shared by the fit (history) and the forecast (horizon).

Every covariate is a step function of the calendar day. Window covariates (occasions, war,
ceasefire, border closure) switch on whole days. The two continuous ones — the rank-weighted,
decaying intensity of recent exchanges, and log2 of the time since the last summit — are
re-evaluated only at *knots*: the 1st and 16th of each month, the day after an exchange ends
and the day after a summit. Between knots they are constant, so the hazard is exactly piecewise
constant and the piecewise-exponential likelihood (Poisson counts with exposure) is exact.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from forecast.config.scenario import Scenario
from forecast.design.inputs import Covariate
from forecast.domain.record import Dataset, Scheduled
from forecast.domain.venues import VENUE_ATTRS, attributes, host_turn
from forecast.domain.vocab import VENUE_CLASSES

DAYS_PER_YEAR = 365.25
RANK_WEIGHT = {"L": 2.0, "M1": 1.0, "M2": 0.5, "M3": 0.25}


@dataclass
class CovariatePath:
    """Daily covariates over ``[dates[0], dates[-1]]``."""

    dates: np.ndarray  # datetime64[D], shape (T,)
    names: list[str]
    X: np.ndarray  # (T, K)
    summits: np.ndarray  # (T,) Kim Jong Un–Putin summits that day
    assumptions: list[str] = field(default_factory=list)


@dataclass
class Segments:
    """The history collapsed into segments of constant covariates."""

    names: list[str]
    X: np.ndarray  # (S, K)
    exposure: np.ndarray  # (S,) years
    events: np.ndarray  # (S,) summit counts
    start: np.ndarray  # (S,) datetime64[D]
    end: np.ndarray  # (S,) datetime64[D], inclusive


def _days(start: date, end: date) -> np.ndarray:
    return np.arange(np.datetime64(start, "D"), np.datetime64(end + timedelta(days=1), "D"))


def _mark(days: np.ndarray, lo: date, hi: date | None) -> np.ndarray:
    """1.0 on days within [lo, hi] (hi None = open-ended)."""
    inside = days >= np.datetime64(lo, "D")
    if hi is not None:
        inside &= days <= np.datetime64(hi, "D")
    return inside


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


def _occasion_spans(
    record: Dataset, occ: str, first: date, last: date, before: int, after: int
) -> tuple[list[tuple[date, date]], list[str]]:
    spans: list[tuple[date, date]] = []
    notes: list[str] = []
    rec = next((r for r in record.recurring if r.id == occ), None)
    if rec is not None:
        spans = [
            (day - timedelta(days=before), day + timedelta(days=after))
            for day in rec.dates(first.year - 1, last.year + 1)
        ]
    else:
        raw, notes = scheduled_instances(record, occ, first, last)
        spans = [(s - timedelta(days=before), e + timedelta(days=after)) for s, e in raw]
    return spans, notes


def _knot_values(record: Dataset, days: np.ndarray, scenario: Scenario) -> tuple[np.ndarray, ...]:
    """Exchange intensity and log2(years since last summit), evaluated at knots, forward-filled."""
    half_life = scenario.model.exchange_half_life_days
    min_gap = scenario.model.min_gap_days
    ex_avail = np.array(
        [np.datetime64(x.end + timedelta(days=1), "D") for x in record.exchanges], dtype="M8[D]"
    )
    ex_w = np.array([RANK_WEIGHT[x.rank] for x in record.exchanges])
    summit_days = np.array([np.datetime64(s.date, "D") for s in record.summits], dtype="M8[D]")

    dom = (days - days.astype("M8[M]")).astype(int) + 1
    is_knot = (dom == 1) | (dom == 16)
    is_knot[0] = True
    is_knot |= np.isin(days, ex_avail) | np.isin(days, summit_days + np.timedelta64(1, "D"))
    knots = days[is_knot]

    age = (knots[:, None] - ex_avail[None, :]).astype(float)  # days since available
    contrib = np.where(age >= 0, ex_w[None, :] * np.exp2(-np.maximum(age, 0) / half_life), 0.0)
    intensity_k = contrib.sum(axis=1) if len(ex_w) else np.zeros(len(knots))

    idx = np.searchsorted(summit_days, knots, side="left") - 1  # last summit strictly before
    gap_days = np.where(idx >= 0, (knots - summit_days[np.maximum(idx, 0)]).astype(float), np.inf)
    if np.isinf(gap_days).any():
        raise ValueError("no leader summit before the covariate path starts")
    gap_k = np.log2(np.maximum(gap_days, min_gap) / DAYS_PER_YEAR)

    which = np.cumsum(is_knot) - 1
    return intensity_k[which], gap_k[which]


def daily_path(
    record: Dataset, scenario: Scenario, covariates: list[Covariate], start: date, end: date
) -> CovariatePath:
    """Daily covariate values over ``[start, end]`` for the given record and scenario."""
    days = _days(start, end)
    claimed = {o for c in covariates if c.kind == "occasion" for o in c.occasions}
    intensity, gap = _knot_values(record, days, scenario)
    war = record.period("war")
    border = record.period("border_closure")
    cease = scenario.ceasefire.start if scenario.ceasefire.assumption == "ceasefire" else None
    settings = scenario.model
    assumptions: list[str] = []

    def windows(occs: list[str], before: int, after: int) -> np.ndarray:
        on = np.zeros(len(days), dtype=bool)
        for occ in occs:
            spans, notes = _occasion_spans(record, occ, start, end, before, after)
            assumptions.extend(n for n in notes if n not in assumptions)
            for lo, hi in spans:
                on |= _mark(days, lo, hi)
        return on.astype(float)

    columns: list[np.ndarray] = []
    for cov in covariates:
        match cov.kind:
            case "exchanges":
                col = intensity
            case "since_last_summit":
                col = gap
            case "war":
                col = _mark(days, war.start, war.end) if war else np.zeros(len(days))
            case "ceasefire":
                col = _mark(days, cease, None) if cease else np.zeros(len(days))
            case "border_closure":
                col = _mark(days, border.start, border.end) if border else np.zeros(len(days))
            case "anniversaries":
                ids = [r.id for r in record.recurring if r.id not in claimed]
                w = settings.anniversary_window_days
                col = windows(ids, w, w)
            case "scheduled_occasions":
                fams = sorted({s.family for s in record.scheduled} - claimed)
                w = settings.scheduled_window_days
                col = windows(fams, w, w)
            case "occasion":
                col = windows(list(cov.occasions), cov.days_before, cov.days_after)
            case other:  # pragma: no cover - the schema rules this out
                raise ValueError(f"unknown covariate kind {other!r}")
        columns.append(np.asarray(col, dtype=float))
    summit_days = np.array(
        [np.datetime64(s.date, "D") for s in record.summits if s.kim_putin], dtype="M8[D]"
    )
    counts = np.isin(days, summit_days).astype(float)
    return CovariatePath(
        dates=days,
        names=[c.name for c in covariates],
        X=np.column_stack(columns) if columns else np.zeros((len(days), 0)),
        summits=counts,
        assumptions=assumptions,
    )


def segments(path: CovariatePath) -> Segments:
    """Collapse a daily path into maximal runs of identical covariates, ending at each summit."""
    changed = np.any(np.diff(path.X, axis=0) != 0, axis=1)
    after_event = path.summits[:-1] > 0
    new = np.concatenate([[True], changed | after_event])
    seg = np.cumsum(new) - 1
    n = seg[-1] + 1
    first = np.flatnonzero(new)
    last = np.concatenate([first[1:] - 1, [len(seg) - 1]])
    return Segments(
        names=path.names,
        X=path.X[first],
        exposure=np.bincount(seg, minlength=n) / DAYS_PER_YEAR,
        events=np.bincount(seg, weights=path.summits, minlength=n),
        start=path.dates[first],
        end=path.dates[last],
    )


def _scheduled_on(record: Dataset, scenario: Scenario, first: date, last: date):
    """(start, end, venue_class) of multilateral occasions, known and assumed, padded."""
    pad = timedelta(days=scenario.model.scheduled_window_days)
    out = []
    for fam in sorted({s.family for s in record.scheduled if s.multilateral}):
        venue = next(s.venue_class for s in record.scheduled if s.family == fam)
        spans, _ = scheduled_instances(record, fam, first, last)
        out.extend((s - pad, e + pad, venue) for s, e in spans)
    return out


def venue_attributes(
    record: Dataset, scenario: Scenario, days: list[date], *, assume_ceasefire: bool = True
) -> np.ndarray:
    """The (day, venue, attribute) array of the venue model's attributes.

    The host turn uses the summits strictly before each day; the war is active if a war period
    covers the day and (when ``assume_ceasefire``) the scenario's ceasefire has not started.
    """
    if not days:
        return np.zeros((0, len(VENUE_CLASSES), len(VENUE_ATTRS)))
    war = record.period("war")
    cease = scenario.ceasefire.start if scenario.ceasefire.assumption == "ceasefire" else None
    occasions = _scheduled_on(record, scenario, min(days), max(days))
    out = np.empty((len(days), len(VENUE_CLASSES), len(VENUE_ATTRS)))
    summits = sorted(record.summits, key=lambda s: s.date)
    for t, day in enumerate(days):
        before = [s for s in summits if s.date < day]
        last_dprk = max((s.date for s in before if s.venue_class == "dprk"), default=None)
        last_russia = max(
            (s.date for s in before if s.venue_class.startswith("russia")), default=None
        )
        active_war = bool(
            war
            and war.start <= day
            and (war.end is None or day <= war.end)
            and not (assume_ceasefire and cease is not None and day >= cease)
        )
        at = {v for lo, hi, v in occasions if lo <= day <= hi}
        out[t] = attributes(host_turn(last_dprk, last_russia), active_war, at)
    return out
