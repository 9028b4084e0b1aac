"""Signals that raise (or lower) the hazard for a while after them, each family its own term.

For one family, the column on day ``t`` is ``log2(1 + sum_i r_i * 2^(-(t - start_i) / h))``
over the family's live signals (:mod:`forecast.terms.signal_live`), ``r_i`` a signal's
reliability, ``start_i`` the day after it and ``h`` the family's half-life. One fresh signal
gives 1, three fresh ones 2, seven fresh ones 3: repeated signals count for more, with a
diminishing return, and every signal fades. The half-lives are fixed (docs/model.md §3.5).

So that the hazard stays piecewise constant over runs of days (as for the exchanges, §3.4), a
signal's age ``t - start_i`` is counted in whole weeks (``7 * floor(age / 7)``), and a signal
stops counting once it is ``MEMORY_HALF_LIVES`` half-lives old (its weight below 1/16).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from forecast.terms.base import Context, TimingTerm, register
from forecast.terms.signal_live import Live, live_signals

#: Ages are counted in steps of this many days.
AGE_STEP_DAYS = 7
#: A signal stops counting after this many half-lives.
MEMORY_HALF_LIVES = 4


def decayed_sum(
    days: np.ndarray, spans: list[Live], half_life: float, *, within: int | None = None
) -> np.ndarray:
    """``sum_i r_i * 2^(-age_i / half_life)`` on each of ``days``, with ``age_i`` the days since
    ``start_i`` in whole weeks, over the signals live that day and younger than
    ``MEMORY_HALF_LIVES`` half-lives (0 where none is).

    With ``within``, only over the signals dated fewer than ``within`` days before the day (the
    news a forecast made ``within`` days earlier had not yet heard; :mod:`forecast.design.news`).
    """
    total = np.zeros(len(days))
    for live in spans:
        age = (days - np.datetime64(live.start, "D")).astype(float)
        on = remembered(live, days, half_life)
        if within is not None:
            on &= live.made_within(days, within)
        stepped = AGE_STEP_DAYS * np.floor(np.maximum(age, 0) / AGE_STEP_DAYS)
        total += np.where(on, live.signal.reliability * np.exp2(-stepped / half_life), 0)
    return total


def remembered(live: Live, days: np.ndarray, half_life: float) -> np.ndarray:
    """True on the ``days`` a signal counts in a family of ``half_life``: live, and younger
    than ``MEMORY_HALF_LIVES`` half-lives."""
    age = (days - np.datetime64(live.start, "D")).astype(float)
    return live.on(days) & (age < MEMORY_HALF_LIVES * half_life)


@dataclass(frozen=True)
class DecayingSignals(TimingTerm):
    """The signals of ``kinds`` with the stance ``stance``, decaying with ``half_life_days``."""

    kinds: ClassVar[tuple[str, ...]] = ()
    stance: ClassVar[str] = "for"
    half_life_days: ClassVar[float] = 30.0

    def selects(self, live: Live) -> bool:
        s = live.signal
        return s.kind in self.kinds and s.effective_stance == self.stance

    def counts(self, live: Live, days: np.ndarray) -> np.ndarray:
        """True on the ``days`` the signal adds to this term's column (none if the family does
        not select it)."""
        if not self.selects(live):
            return np.zeros(len(days), dtype=bool)
        return remembered(live, days, self.half_life_days)

    def column(self, ctx: Context) -> np.ndarray:
        return self.column_of(ctx.days, live_signals(ctx))

    def column_of(
        self, days: np.ndarray, lives: list[Live], *, within: int | None = None
    ) -> np.ndarray:
        """The column on ``days`` (any days: it is computed day by day) from ``lives``, the
        context's :func:`~forecast.terms.signal_live.live_signals`; with ``within``, from the
        signals dated fewer than ``within`` days before each day only (:func:`decayed_sum`)."""
        spans = [x for x in lives if self.selects(x)]
        return np.log2(1.0 + decayed_sum(days, spans, self.half_life_days, within=within))


@register
@dataclass(frozen=True)
class SignalConfirmed(DecayingSignals):
    kind = "signal_confirmed"
    kinds = ("official_confirmation_without_dates",)
    half_life_days = 30.0
    default = dict(low=1.0, high=5.0, confidence=0.8)
    label = "per unit of official confirmations without dates (one just made)"
    documented = "docs/model.md §3.5 (signals); default §3.5"


@register
@dataclass(frozen=True)
class SignalInvited(DecayingSignals):
    kind = "signal_invited"
    kinds = ("official_invitation",)
    half_life_days = 90.0
    default = dict(low=0.7, high=3.0, confidence=0.8)
    label = "per unit of official invitations (one just made)"
    documented = "docs/model.md §3.5 (signals); default §3.5"


@register
@dataclass(frozen=True)
class SignalReported(DecayingSignals):
    kind = "signal_reported"
    kinds = ("media_report_citing_sources",)
    half_life_days = 14.0
    default = dict(low=1.0, high=8.0, confidence=0.8)
    label = "per unit of media reports citing sources (one just published)"
    documented = "docs/model.md §3.5 (signals); default §3.5"


@register
@dataclass(frozen=True)
class SignalAssessed(DecayingSignals):
    kind = "signal_assessed"
    kinds = ("intelligence_assessment",)
    half_life_days = 21.0
    default = dict(low=1.0, high=6.0, confidence=0.8)
    label = "per unit of intelligence assessments expecting a meeting (one just made)"
    documented = "docs/model.md §3.5 (signals); default §3.5"


@register
@dataclass(frozen=True)
class SignalPreparation(DecayingSignals):
    kind = "signal_preparation"
    kinds = ("preparation_observed",)
    half_life_days = 7.0
    default = dict(low=1.5, high=20.0, confidence=0.8)
    label = "per unit of observed preparations (one just seen)"
    documented = "docs/model.md §3.5 (signals); default §3.5"


@register
@dataclass(frozen=True)
class SignalAgainst(DecayingSignals):
    """Denials, cancellations and any other signal against a meeting (stance ``against``)."""

    kind = "signal_against"
    stance = "against"
    half_life_days = 30.0
    default = dict(low=0.1, high=1.0, confidence=0.8)
    label = "per unit of denials, cancellations and reports against a meeting (one just made)"
    documented = "docs/model.md §3.5 (signals); default §3.5"

    def selects(self, live: Live) -> bool:
        return live.signal.effective_stance == "against"
