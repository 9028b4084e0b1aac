"""Time since the last summit: log2 of the years since it, floored at a minimum gap."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.terms.base import Context, TimingTerm, register
from forecast.terms.knots import knots, summit_days


@register
@dataclass(frozen=True)
class SinceLastSummit(TimingTerm):
    """``log2(max(days since the last summit, min_gap) / 365.25)`` at knots.

    The last summit is any in the record, the dyad's predecessors' included (for Kim–Putin the
    2011 Kim Jong Il summit starts the clock in 2012). Where the record holds no summit before
    a day, the clock starts at the dataset's coverage start instead (said in docs/model.md).
    """

    kind = "since_last_summit"
    default = dict(low=0.7, high=1.6, confidence=0.8)
    label = "per doubling of the time since the last summit"
    documented = "docs/model.md §3.3 (time since the last summit); default §5.3"

    def column(self, ctx: Context) -> np.ndarray:
        at, which = knots(ctx)
        held = summit_days(ctx)
        start = np.datetime64(ctx.record.meta.coverage_start, "D")
        if not len(held) or held[0] >= at[0]:
            held = np.concatenate([[min(start, at[0])], held]).astype("M8[D]")
        idx = np.searchsorted(held, at, side="left") - 1  # the last summit strictly before
        gap = (at - held[np.maximum(idx, 0)]).astype(float)
        gap = np.where(idx >= 0, gap, 0.0)
        floor = ctx.scenario.model.min_gap_days
        return np.log2(np.maximum(gap, floor) / DAYS_PER_YEAR)[which]
