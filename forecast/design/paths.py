"""Covariate paths: every term's values day by day, and the history cut into segments.

Every timing term is a step function of the calendar day (see :mod:`forecast.terms`). A path
over a run of days is the (day, term) matrix; the history is then collapsed into segments of
constant covariates (:func:`segments`), each a Poisson observation with its exposure. The
same term code builds the history and the horizon, so the two cannot drift apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np

from forecast.config.scenario import Scenario
from forecast.design.announced import (
    Announced,
    Outcomes,
    announced_days,
    claim_outcomes,
    counting,
    no_outcomes,
    none,
)
from forecast.domain.record import Dataset
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.terms import Context, TimingTerm, VenueTerm, days_between
from forecast.terms.base import period_mask


@dataclass
class CovariatePath:
    """Daily covariates over ``[dates[0], dates[-1]]``."""

    dates: np.ndarray  # datetime64[D], shape (T,)
    names: list[str]
    X: np.ndarray  # (T, K)
    summits: np.ndarray  # (T,) the dyad's summits that day
    active: np.ndarray  # (T,) 1 where a meeting is possible (the dyad's active state), else 0
    announced: Announced  # the announcement that counts each day (docs/model.md §3.5)
    assumptions: list[str] = field(default_factory=list)
    #: the claims scored off their counting days (the history's; none on a horizon)
    outcomes: Outcomes = field(default_factory=no_outcomes)


@dataclass
class Segments:
    """The history collapsed into segments of constant covariates."""

    names: list[str]
    X: np.ndarray  # (S, K)
    exposure: np.ndarray  # (S,) years
    events: np.ndarray  # (S,) summit counts
    start: np.ndarray  # (S,) datetime64[D]
    end: np.ndarray  # (S,) datetime64[D], inclusive
    announced: Announced | None = None  # per segment (each day of a window is one segment)
    outcomes: Outcomes = field(default_factory=no_outcomes)  # not per segment: per claim-day


def _scenario_ceasefire(scenario: Scenario) -> date | None:
    cf = scenario.ceasefire
    return cf.start if cf.assumption == "ceasefire" else None


def active_days(record: Dataset, days: np.ndarray) -> np.ndarray:
    """1.0 on days when the dyad can meet: inside a period of its ``active_state`` (for
    Kim–Trump, Trump in office), or every day when the dyad declares none."""
    state = record.dyad.active_state
    return np.ones(len(days)) if state is None else period_mask(record, state, days)


def daily_path(
    record: Dataset,
    scenario: Scenario,
    terms: list[TimingTerm],
    start: date,
    end: date,
    *,
    ceasefire_start: date | None | str = "scenario",
    outcomes: bool = False,
) -> CovariatePath:
    """Daily values of the timing terms over ``[start, end]``.

    ``ceasefire_start`` is the path's ceasefire assumption: by default the scenario's (which
    starts after ``as_of``, so it never touches the history); ``None`` for war throughout.
    ``outcomes`` (the history's): also score the claims off their counting days
    (:func:`~forecast.design.announced.claim_outcomes`), with the signal terms on.
    """
    days = days_between(start, end)
    cease = _scenario_ceasefire(scenario) if ceasefire_start == "scenario" else ceasefire_start
    claimed = frozenset(o for t in terms for o in getattr(t, "occasions", ()))
    ctx = Context(record, scenario, days, ceasefire_start=cease, claimed=claimed)
    columns = [np.asarray(t.column(ctx), dtype=float) for t in terms]
    counted = counting(ctx) if scenario.model.signals else None
    if counted is not None:
        announced = announced_days(ctx, counted)
    else:
        announced = none(len(days), len(record.dyad.venue_ids))
    held = np.array([np.datetime64(s.date, "D") for s in record.events], dtype="M8[D]")
    summits, active = np.isin(days, held).astype(float), active_days(record, days)
    scored = no_outcomes()
    if outcomes and counted is not None:
        scored = claim_outcomes(ctx, summits, active, counted)
    return CovariatePath(
        dates=days,
        names=[t.name for t in terms],
        X=np.column_stack(columns) if columns else np.zeros((len(days), 0)),
        summits=summits,
        active=active,
        announced=announced,
        assumptions=ctx.notes,
        outcomes=scored,
    )


def segments(path: CovariatePath, *, event_days: bool = False) -> Segments:
    """Collapse a daily path into maximal runs of identical covariates, ending at each summit;
    days when the dyad cannot meet (``active == 0``) are left out of the likelihood. Each day
    inside a claim's window (an announcement's or a time-framed signal's) is a segment of its
    own (its hazard changes daily); with ``event_days``, so is each summit's day (for the
    day-censored likelihood of :mod:`forecast.model.build`)."""
    ann = path.announced
    keys = np.column_stack([path.X, path.active, ann.reliability, ann.length, ann.day, ann.framed])
    # a day of a claim's window always starts a segment: two one-day windows in a row have the
    # same keys but a hazard each
    changed = np.any(np.diff(keys, axis=0) != 0, axis=1) | (ann.reliability[1:] > 0)
    after_event = path.summits[:-1] > 0
    if event_days:
        after_event = after_event | (path.summits[1:] > 0)
    new = np.concatenate([[True], changed | after_event])
    seg = np.cumsum(new) - 1
    n = seg[-1] + 1
    first = np.flatnonzero(new)
    last = np.concatenate([first[1:] - 1, [len(seg) - 1]])
    keep = path.active[first] > 0
    return Segments(
        names=path.names,
        X=path.X[first][keep],
        exposure=(np.bincount(seg, minlength=n) / DAYS_PER_YEAR)[keep],
        events=np.bincount(seg, weights=path.summits, minlength=n)[keep],
        start=path.dates[first][keep],
        end=path.dates[last][keep],
        announced=ann.take(first[keep]),
        outcomes=path.outcomes,
    )


def venue_attributes(
    record: Dataset,
    scenario: Scenario,
    terms: list[VenueTerm],
    days: list[date] | np.ndarray,
    *,
    ceasefire_start: date | None = None,
) -> np.ndarray:
    """The (day, venue, attribute) array of the venue terms on ``days`` (any order).

    ``ceasefire_start`` is the path's assumption (None on the history: the record's war
    periods alone say when the war was active).
    """
    dyad = record.dyad
    days = np.asarray(days, dtype="M8[D]")
    if not len(days) or not terms:
        return np.zeros((len(days), len(dyad.venue_ids), len(terms)))
    span = days_between(days.min().astype(date), days.max().astype(date))
    ctx = Context(record, scenario, span, ceasefire_start=ceasefire_start)
    at = (days - span[0]).astype(int)
    return np.stack([np.asarray(t.attribute(ctx))[at] for t in terms], axis=-1)
