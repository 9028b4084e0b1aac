"""Analyst occasion windows: 'a summit is 2–6x more likely within a week of June 19'."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, TimingTerm, register
from forecast.terms.calendar import occasion_spans


def windows_on(ctx: Context, occasions: list[str], before: int, after: int) -> np.ndarray:
    """1.0 on the days within ``-before/+after`` days of any of the occasions."""
    on = np.zeros(len(ctx.days))
    for occ in occasions:
        spans, notes = occasion_spans(ctx.record, occ, ctx.first, ctx.last, before, after)
        for text in notes:
            ctx.note(text)
        for lo, hi in spans:
            on = np.maximum(on, ctx.mark(lo, hi))
    return on


@register
@dataclass(frozen=True)
class Occasion(TimingTerm):
    """An indicator's window around named occasions; it exists only when an analyst states it.

    The occasions it names are taken out of the standing ``anniversaries`` and
    ``scheduled_occasions`` terms, so no day is counted twice.
    """

    kind = "occasion"
    target = "occasion"
    influence = "drop"
    documented = "docs/model.md §3.3 (occasion windows); default §5.3"

    occasions: tuple[str, ...] = ()
    days_before: int = 0
    days_after: int = 0

    def column(self, ctx: Context) -> np.ndarray:
        return windows_on(ctx, list(self.occasions), self.days_before, self.days_after)
