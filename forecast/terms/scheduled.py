"""Scheduled multilateral occasions (forums, parades) not named by an analyst's indicator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, TimingTerm, register
from forecast.terms.occasion import windows_on


@register
@dataclass(frozen=True)
class ScheduledOccasions(TimingTerm):
    kind = "scheduled_occasions"
    default = dict(low=1.0, high=10.0, confidence=0.8)
    label = "during a scheduled multilateral occasion (forum, parade)"
    documented = "docs/model.md §3.3 (scheduled occasions); default §5.3"

    def column(self, ctx: Context) -> np.ndarray:
        families = sorted({s.family for s in ctx.record.scheduled} - ctx.claimed)
        w = ctx.scenario.model.scheduled_window_days
        return windows_on(ctx, families, w, w)
