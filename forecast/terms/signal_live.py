"""When each signal of the record counts: from the day after its date until it is spent.

Shared by the signal terms of the timing model (:mod:`forecast.terms.signals_decaying`), the
announced meetings (:mod:`forecast.design.announced`) and the venue model
(:mod:`forecast.terms.signal_venue`).

A signal in the fit (:func:`~forecast.domain.signals.in_fit`: not neutral, and not uncertain
unless the scenario's ``model.include_uncertain_signals`` says so) is
public at the end of its date, so it counts from the next day (the covariates stay predictable,
docs/model.md §3.2). It stops counting

- after the next meeting of the dyad's leaders (it was about that meeting; signals made on a
  meeting's day are about the next one, unless filed under that meeting's episode: the
  announcement of a visit on its first day, or a sighting of it under way, is spent by it);
- for a signal for a meeting, after a cancellation dated on or after it (a cancellation ends
  what came before it; a new signal after the cancellation counts again);
- for an announcement with dates, after the last day of its window.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from forecast.domain.signals import ANNOUNCEMENT, Signal, in_fit
from forecast.terms.base import Context

CANCELLATION = "cancellation"


@dataclass(frozen=True)
class Live:
    """A signal and the days it counts: ``start`` to ``end`` inclusive (``end`` None: open)."""

    signal: Signal
    start: date
    end: date | None

    def on(self, days: np.ndarray) -> np.ndarray:
        """True on the ``days`` it counts."""
        inside = days >= np.datetime64(self.start, "D")
        if self.end is not None:
            inside &= days <= np.datetime64(self.end, "D")
        return inside

    def made_within(self, days: np.ndarray, within: int) -> np.ndarray:
        """True on the ``days`` fewer than ``within`` days after the signal's date (the news a
        forecast made ``within`` days before the day had not yet heard;
        :mod:`forecast.design.news`)."""
        return (days - np.datetime64(self.signal.date, "D")).astype(int) < within


def _earliest(*days: date | None) -> date | None:
    known = [d for d in days if d is not None]
    return min(known) if known else None


def live_signals(ctx: Context, *, cancellations: bool = True) -> list[Live]:
    """Every signal of ``ctx.record`` in the fit, with the days it counts (see the module).

    With ``cancellations=False``, as if no cancellation had come: the days a cancelled claim
    would have counted, on which its failure is scored (:func:`~forecast.design.announced.
    claim_outcomes`)."""
    include = ctx.scenario.model.include_uncertain_signals
    signals = [s for s in ctx.record.signals if in_fit(s, include_uncertain=include)]
    meetings = sorted(s.date for s in ctx.record.events)
    cancels = sorted(s.date for s in signals if s.kind == CANCELLATION)
    out = []
    for s in signals:
        start = s.date + timedelta(days=1)
        meeting = next((m for m in meetings if m >= start), None)
        if ctx.record.made_at_its_meeting(s):  # spent by the meeting it is about
            continue
        cancel = None
        if cancellations and s.effective_stance == "for":
            cancel = next((c for c in cancels if c >= s.date), None)
        window = s.window_end if s.kind == ANNOUNCEMENT else None
        end = _earliest(meeting, cancel, window)
        if end is None or end >= start:
            out.append(Live(s, start, end))
    return out
