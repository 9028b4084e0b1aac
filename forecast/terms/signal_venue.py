"""Signal venue: a live signal for a meeting that names its venue, or who is to travel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from forecast.domain.dyad import BOTH, Dyad
from forecast.domain.signals import Signal
from forecast.terms.base import Context, VenueTerm, register
from forecast.terms.signal_live import Live, live_signals

#: How long a signal naming a venue without a window counts for the venue (days).
VENUE_MEMORY_DAYS = 60


def named_venues(signal: Signal, dyad: Dyad) -> np.ndarray:
    """The attribute one signal gives each venue class: 1 for the class it names; else, if it
    says who is to travel, ``1/n`` for each of the ``n`` classes on the host side (the other
    side; for ``both``, the classes of neither side); else 0 everywhere."""
    out = np.zeros(len(dyad.venue_ids))
    if signal.venue_class is not None:
        out[dyad.venue_ids.index(signal.venue_class)] = 1.0
        return out
    if signal.travels is None:
        return out
    if signal.travels == BOTH:
        host = None
    else:
        host = next(s.id for s in dyad.sides if s.id != signal.travels)
    hosts = [j for j, v in enumerate(dyad.venue_ids) if dyad.venue_side(v) == host]
    out[hosts] = 1.0 / len(hosts) if hosts else 0.0
    return out


@register
@dataclass(frozen=True)
class SignalVenue(VenueTerm):
    """The largest attribute (:func:`named_venues`) over the live signals for a meeting, each
    counting until its window ends, or for ``VENUE_MEMORY_DAYS`` if it states none."""

    kind = "signal_venue"
    default = dict(low=2.0, high=50.0, confidence=0.8)
    label = "venue named by a live signal for a meeting"
    documented = "docs/model.md §3.5 (signals); default §3.5"

    def counts(self, live: Live, days: np.ndarray, dyad: Dyad) -> np.ndarray:
        """True on the ``days`` the signal gives a venue class its attribute: a signal for a
        meeting that names a venue or who travels, live, until its window ends or for
        ``VENUE_MEMORY_DAYS``."""
        s = live.signal
        if s.effective_stance != "for" or not named_venues(s, dyad).any():
            return np.zeros(len(days), dtype=bool)
        last = s.window_end or (live.start + timedelta(days=VENUE_MEMORY_DAYS - 1))
        return live.on(days) & (days <= np.datetime64(last, "D"))

    def attribute(self, ctx: Context) -> np.ndarray:
        dyad = ctx.dyad
        out = np.zeros((len(ctx.days), len(dyad.venue_ids)))
        for live in live_signals(ctx):
            on = self.counts(live, ctx.days, dyad)
            if on.any():
                values = named_venues(live.signal, dyad)
                out = np.maximum(out, on[:, None] * values[None, :])
        return out
