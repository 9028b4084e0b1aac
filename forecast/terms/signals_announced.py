"""A live official announcement with dates: the hazard inside the announced window.

Two terms share the announcement's window. ``signal_announced`` is 1 inside it (the multiplier
for a window of ``REFERENCE_WINDOW_DAYS`` days); ``signal_window_length`` is
``log2(L / REFERENCE_WINDOW_DAYS)`` there, ``L`` the window's days from the day after the
announcement, so its coefficient is the multiplier per doubling of the window. A prior centred
on halving (docs/model.md §3.5) makes the hazard inside a window about proportional to ``1/L``:
an announced meeting is then about as likely inside a two-week window as inside a two-day one,
spread over more days, which is what "fulfilled with probability q" would say.

Where several announcements are live on a day, the one with the shortest window counts (the
most specific statement), with the largest reliability among those.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from forecast.domain.signals import ANNOUNCEMENT
from forecast.terms.base import Context, TimingTerm, day_mask, register
from forecast.terms.signal_live import live_signals

#: The window length the announcement multiplier refers to (days): the median window the
#: record's announcements state (one to four days; the Kremlin's 'second half of April' 2019
#: is the one long window).
REFERENCE_WINDOW_DAYS = 2


def announcement_windows(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``ctx.days``: the reliability of the live announcement whose window holds
    the day (0 if none) and that window's length in days (the shortest, if several)."""
    value = np.zeros(len(ctx.days))
    length = np.full(len(ctx.days), np.inf)
    for live in live_signals(ctx):
        s = live.signal
        if s.kind != ANNOUNCEMENT:
            continue
        first = max(s.window_from, s.date + timedelta(days=1))
        days = (s.window_end - first).days + 1
        on = (day_mask(ctx.days, s.window_from, s.window_end) > 0) & live.on(ctx.days)
        shorter = on & (days < length)
        same = on & (days == length)
        value = np.where(
            shorter, s.reliability, np.where(same, np.maximum(value, s.reliability), value)
        )
        length = np.where(shorter, days, length)
    return value, np.where(np.isfinite(length), length, REFERENCE_WINDOW_DAYS)


@register
@dataclass(frozen=True)
class SignalAnnounced(TimingTerm):
    """On the days of the window an official announcement states, from the day after the
    announcement, until the window ends, a cancellation arrives or the meeting is held; the
    value is the announcement's reliability (1 by default)."""

    kind = "signal_announced"
    default = dict(low=50.0, high=20000.0, confidence=0.8)
    label = "inside the window of a live official announcement with dates (a two-day window)"
    documented = "docs/model.md §3.5 (signals); default §3.5"

    def column(self, ctx: Context) -> np.ndarray:
        return announcement_windows(ctx)[0]


@register
@dataclass(frozen=True)
class SignalWindowLength(TimingTerm):
    """``log2(L / REFERENCE_WINDOW_DAYS)`` inside a live announcement's window of ``L`` days
    (0 elsewhere), times the announcement's reliability."""

    kind = "signal_window_length"
    default = dict(low=0.3, high=0.8, confidence=0.8)
    label = "per doubling of an announced window's length"
    documented = "docs/model.md §3.5 (signals); default §3.5"

    def column(self, ctx: Context) -> np.ndarray:
        value, length = announcement_windows(ctx)
        return value * np.log2(length / REFERENCE_WINDOW_DAYS)
