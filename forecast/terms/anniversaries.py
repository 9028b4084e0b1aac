"""Recurring anniversaries and holidays not named by an analyst's occasion indicator."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, TimingTerm, register
from forecast.terms.occasion import windows_on


@register
@dataclass(frozen=True)
class Anniversaries(TimingTerm):
    kind = "anniversaries"
    default = dict(low=0.7, high=3.0, confidence=0.8)
    label = "around a recurring anniversary or holiday"
    documented = "docs/model.md §3.3 (anniversaries); default §5.3"

    def column(self, ctx: Context) -> np.ndarray:
        ids = [r.id for r in ctx.record.recurring if r.id not in ctx.claimed]
        w = ctx.scenario.model.anniversary_window_days
        return windows_on(ctx, ids, w, w)
