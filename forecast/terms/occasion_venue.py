"""Occasion venue: a venue hosting a multilateral occasion at the time draws the summit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import numpy as np

from forecast.terms.base import Context, VenueTerm, register
from forecast.terms.calendar import scheduled_instances


@register
@dataclass(frozen=True)
class OccasionVenue(VenueTerm):
    """1 for the venue class of a scheduled multilateral occasion under way (known, or
    assumed to recur), padded by the scenario's ``model.scheduled_window_days``."""

    kind = "occasion_venue"
    default = dict(low=1.0, high=20.0, confidence=0.8)
    label = "venue hosting a multilateral occasion then"
    documented = "docs/model.md §4 (occasion venue); default §5.3"

    def attribute(self, ctx: Context) -> np.ndarray:
        record, dyad = ctx.record, ctx.dyad
        pad = timedelta(days=ctx.scenario.model.scheduled_window_days)
        out = np.zeros((len(ctx.days), len(dyad.venue_ids)))
        for fam in sorted({s.family for s in record.scheduled if s.multilateral}):
            venue = next(s.venue_class for s in record.scheduled if s.family == fam)
            spans, _ = scheduled_instances(record, fam, ctx.first, ctx.last)
            j = dyad.venue_ids.index(venue)
            for lo, hi in spans:
                out[:, j] = np.maximum(out[:, j], ctx.mark(lo - pad, hi + pad))
        return out
