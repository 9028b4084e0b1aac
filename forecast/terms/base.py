"""What every term of the model declares, and the registry of term kinds.

A *term* is one kind of effect of the timing model (a column of the hazard's design matrix) or
of the venue model (an attribute of every venue class). Each kind lives in its own module of
:mod:`forecast.terms` and declares, on its class:

- ``kind``: its registry name, which is also what a scenario's ``effect_on: {kind: ...}`` names;
- ``target``: which scenario statements set its prior (``"factor"``: an indicator or venue
  judgment naming the kind; ``"occasion"``: an indicator with occasion windows; ``"venue"``:
  a venue judgment about one venue's odds);
- ``default``: its default prior as an analyst would state it (a multiplier range and a
  confidence), and ``documented``: where the default is explained;
- ``influence``: how the report measures what a statement about it contributes
  (``"drop"``: the coefficient set to 0 in every draw; ``"reweight"``: the posterior reweighted
  from the stated prior to the default one);
- how it builds its values on any run of days (``column`` for timing terms, ``attribute`` for
  venue terms), the same function serving the history and the horizon.

The model, the report, influence, the backtest and the docs ask the registry
(:func:`timing_kinds`, :func:`venue_kinds`); adding a kind is one module (docs/extending.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import ClassVar

import numpy as np

from forecast.config.scenario import Scenario
from forecast.domain.dyad import Dyad
from forecast.domain.record import Dataset
from forecast.priors.elicit import Prior

_TIMING: dict[str, type[TimingTerm]] = {}
_VENUE: dict[str, type[VenueTerm]] = {}


@dataclass
class Context:
    """What a term sees when it builds its values over ``days``.

    ``ceasefire_start`` is the horizon path's assumption (None: the war goes on, and always
    None on the history, where only the record counts). ``claimed`` holds the occasion ids
    that analysts' occasion indicators took over from the standing occasion terms.
    ``notes`` collects the assumptions the terms had to make, for the outputs to state.
    """

    record: Dataset
    scenario: Scenario
    days: np.ndarray  # datetime64[D], consecutive
    ceasefire_start: date | None = None
    claimed: frozenset[str] = frozenset()
    notes: list[str] = field(default_factory=list)

    @property
    def dyad(self) -> Dyad:
        return self.record.dyad

    @property
    def first(self) -> date:
        return self.days[0].astype(date)

    @property
    def last(self) -> date:
        return self.days[-1].astype(date)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    def mark(self, lo: date, hi: date | None) -> np.ndarray:
        """1.0 on the days within ``[lo, hi]`` (``hi`` None: open-ended), else 0.0."""
        return day_mask(self.days, lo, hi)

    def in_period(self, state: str) -> np.ndarray:
        """1.0 on the days inside any period of ``state`` in the record."""
        return period_mask(self.record, state, self.days)

    def war_active(self) -> np.ndarray:
        """1.0 on days inside a ``war`` period and before the path's ceasefire, if any."""
        on = self.in_period("war")
        if self.ceasefire_start is not None:
            on *= 1.0 - self.mark(self.ceasefire_start, None)
        return on


@dataclass(frozen=True)
class Term:
    """A term bound to a run: its name in the model's outputs and its prior."""

    kind: ClassVar[str]
    target: ClassVar[str] = "factor"
    default: ClassVar[dict | None] = None
    documented: ClassVar[str] = "docs/model.md"
    influence: ClassVar[str] = "reweight"
    label: ClassVar[str] = ""

    name: str
    prior: Prior

    @classmethod
    def default_label(cls, dyad: Dyad) -> str:
        """The default prior's label (a term whose label depends on the dyad overrides it)."""
        return cls.label


@dataclass(frozen=True)
class TimingTerm(Term):
    """A column of the timing model: a multiplier of the hazard on the days it is 'on'."""

    def column(self, ctx: Context) -> np.ndarray:  # pragma: no cover - abstract
        """The term's value on each of ``ctx.days``."""
        raise NotImplementedError


@dataclass(frozen=True)
class VenueTerm(Term):
    """An attribute of every venue class in the conditional-logit venue model."""

    def attribute(self, ctx: Context) -> np.ndarray:  # pragma: no cover - abstract
        """The (day, venue) values of the attribute on ``ctx.days``."""
        raise NotImplementedError

    @classmethod
    def stated_scale(cls, dyad: Dyad) -> float:
        """By how much the attribute multiplies the parameter in the contrast a statement is
        about (1: a statement is about one unit of the attribute)."""
        return 1.0


def day_mask(days: np.ndarray, lo: date, hi: date | None) -> np.ndarray:
    """1.0 on the ``days`` within ``[lo, hi]`` (``hi`` None: open-ended), else 0.0."""
    inside = days >= np.datetime64(lo, "D")
    if hi is not None:
        inside &= days <= np.datetime64(hi, "D")
    return inside.astype(float)


def period_mask(record: Dataset, state: str, days: np.ndarray) -> np.ndarray:
    """1.0 on the ``days`` inside any period of ``state`` in the record, else 0.0."""
    on = np.zeros(len(days))
    for p in record.periods_of(state):
        on = np.maximum(on, day_mask(days, p.start, p.end))
    return on


def register(cls: type[Term]) -> type[Term]:
    """Class decorator: add a term kind to the registry under its ``kind``."""
    registry = _TIMING if issubclass(cls, TimingTerm) else _VENUE
    if cls.kind in registry:
        raise ValueError(f"term kind {cls.kind!r} is registered twice")
    registry[cls.kind] = cls
    return cls


def timing_kinds() -> dict[str, type[TimingTerm]]:
    """Every registered timing term kind, by name."""
    return dict(_TIMING)


def venue_kinds() -> dict[str, type[VenueTerm]]:
    """Every registered venue term kind, by name."""
    return dict(_VENUE)


def days_between(start: date, end: date) -> np.ndarray:
    """The consecutive days ``start .. end`` inclusive, as datetime64[D]."""
    return np.arange(np.datetime64(start, "D"), np.datetime64(end + timedelta(days=1), "D"))
