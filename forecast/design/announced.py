"""Announced meetings: the hazard that an official announcement with dates is fulfilled.

An official announcement with dates says that the meeting will take place inside a window.
The model reads it as a claim that is kept with probability ``q`` (a parameter of the model,
``announce_logit = logit(q)``), the meeting then falling on any day of the window with equal
probability, independently of the background hazard of an unannounced meeting. On the ``k``-th
of the window's ``L`` days, given no meeting yet, the announced meeting comes that day with
probability ``(q / L) / (1 - q (k - 1) / L)``; as a constant hazard over the day that is

    c_k(q) = log(L - q (k - 1)) - log(L - q k)            (per day),

and over the whole window the hazards add up to ``-log(1 - q)``: a meeting inside the window
with probability ``q`` (docs/model.md §3.5). The day's total hazard is the background's plus
``c_k``. A signal's ``reliability`` ``r`` multiplies the odds of ``q``: ``q_r = r q / (1 - q +
r q)``.

Which announcement counts on a day: among the live ones (:func:`~forecast.terms.signal_live.
live_signals`, so a cancellation or the meeting ends it) whose window holds the day, counted
from the day after the announcement, the one with the shortest window (the most specific
statement), then the largest reliability. A meeting from an announcement is at the venue the
announcement names (:func:`~forecast.terms.signal_venue.named_venues`); one that names none
follows the venue model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from forecast.domain.signals import ANNOUNCEMENT
from forecast.priors.elicit import Prior, prior_from_probability_range
from forecast.terms.base import Context, day_mask
from forecast.terms.signal_live import live_signals
from forecast.terms.signal_venue import named_venues

#: The default prior of ``q`` as an analyst would state it (docs/model.md §3.5). Of the dated
#: announcements of a meeting in the other pairs' records (Singapore twice, Hanoi, Xi's 2019
#: visit to Pyongyang, Kim's 2025 trip to Beijing), one was called off: the first Singapore
#: announcement, cancelled by letter on 2018-05-24 and reinstated on 06-01. State visits
#: announced with dates are rarely cancelled, but it happens.
DEFAULT_KEPT = dict(
    low=0.6,
    high=0.97,
    confidence=0.8,
    label="an official announcement with dates is kept (a meeting inside its window)",
)


def kept_prior() -> Prior:
    """The prior of ``announce_logit`` (the log odds of ``q``), from :data:`DEFAULT_KEPT`."""
    return prior_from_probability_range(**DEFAULT_KEPT)


#: The component's name in the outputs (where a signal's term is named).
NAME = "announced_meeting"


@dataclass(frozen=True)
class Announced:
    """Per day: the counting announcement's reliability (0: none), its window's length ``L``
    in days, the day's place ``k`` in it (1-based; 0: none), and the venue distribution it
    states (zeros where it states none)."""

    reliability: np.ndarray  # (T,)
    length: np.ndarray  # (T,)
    day: np.ndarray  # (T,)
    venue: np.ndarray  # (T, J)

    @property
    def any(self) -> bool:
        """Whether an announcement counts on any of the days."""
        return bool(np.any(self.reliability > 0))

    def take(self, index: np.ndarray) -> Announced:
        """The same, on the days ``index`` only."""
        return Announced(
            self.reliability[index], self.length[index], self.day[index], self.venue[index]
        )


def none(days: int, venues: int) -> Announced:
    """No announcement on any of ``days`` days."""
    return Announced(np.zeros(days), np.ones(days), np.zeros(days), np.zeros((days, venues)))


def announced_days(ctx: Context) -> Announced:
    """The announcement that counts on each of ``ctx.days`` (see the module docstring)."""
    n, venues = len(ctx.days), len(ctx.dyad.venue_ids)
    out = none(n, venues)
    rel, length, day, venue = out.reliability, out.length, out.day, out.venue
    best = np.full(n, np.inf)
    for live in live_signals(ctx):
        s = live.signal
        if s.kind != ANNOUNCEMENT:
            continue
        first = max(s.window_from, s.date + timedelta(days=1))
        days = (s.window_end - first).days + 1
        on = (day_mask(ctx.days, first, s.window_end) > 0) & live.on(ctx.days)
        better = on & ((days < best) | ((days == best) & (s.reliability > rel)))
        if not better.any():
            continue
        best = np.where(better, days, best)
        rel[better] = s.reliability
        length[better] = days
        day[better] = (ctx.days[better] - np.datetime64(first, "D")).astype(int) + 1
        venue[better] = named_venues(s, ctx.dyad)
    return out


def kept_probability(q, reliability):
    """``q`` with its odds multiplied by ``reliability`` (array-library agnostic)."""
    return reliability * q / (1.0 - q + reliability * q)


def daily_hazard(q, announced: Announced, log=np.log):
    """The announced meeting's hazard on each day (per day): ``c_k`` of the module docstring,
    0 where no announcement counts. ``q`` may be a scalar or a (D, 1) array of draws; ``log``
    is the array library's logarithm (NumPy, PyTensor or JAX)."""
    qr = kept_probability(q, announced.reliability)
    length, k = announced.length, announced.day
    return log(length - qr * (k - 1.0)) - log(length - qr * k)
