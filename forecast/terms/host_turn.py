"""Host turn: the side that hosted less recently is the likelier host of the next summit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, VenueTerm, register


@register
@dataclass(frozen=True)
class HostTurn(VenueTerm):
    """1 for the venues of the side whose turn it is (:meth:`Dyad.side_to_host`), using the
    summits strictly before each day; summits at a third place do not count."""

    kind = "host_turn"
    default = dict(low=0.7, high=4.0, confidence=0.8)
    label = "venue on the side whose turn it is"
    documented = "docs/model.md §4 (host turn); default §5.3"

    def attribute(self, ctx: Context) -> np.ndarray:
        dyad = ctx.dyad
        hosted = [(s.date, dyad.venue_side(s.venue_class)) for s in ctx.record.summits]
        out = np.zeros((len(ctx.days), len(dyad.venue_ids)))
        on = {
            s.id: np.array([dyad.venue_side(v) == s.id for v in dyad.venue_ids]) for s in dyad.sides
        }
        for t, day in enumerate(ctx.days.astype("O")):
            last = {s.id: None for s in dyad.sides}
            for when, side in hosted:
                if when < day and side is not None and (last[side] is None or when > last[side]):
                    last[side] = when
            out[t] = on[dyad.side_to_host(last)]
        return out
