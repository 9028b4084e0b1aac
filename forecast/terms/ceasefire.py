"""A ceasefire in the Russia–Ukraine war: a scenario assumption about the horizon only."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, TimingTerm, register


@register
@dataclass(frozen=True)
class Ceasefire(TimingTerm):
    """On from the horizon path's ceasefire start; never on in the record (none held)."""

    kind = "ceasefire"
    default = dict(low=0.33, high=3.0, confidence=0.8)
    label = "while a ceasefire holds (vs active war)"
    documented = "docs/model.md §3.3 (war and ceasefire); default §5.3"

    def column(self, ctx: Context) -> np.ndarray:
        if ctx.ceasefire_start is None:
            return np.zeros(len(ctx.days))
        return ctx.mark(ctx.ceasefire_start, None)
