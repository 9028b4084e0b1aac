"""Wartime travel: while the war is active, far venues are less likely (the leader's risk)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from forecast.domain.dyad import Dyad
from forecast.terms.base import Context, VenueTerm, register


def travel_scale(dyad: Dyad) -> np.ndarray:
    """``log(1 + km / 1000)`` from the home venue's city, per venue class."""
    return np.array([math.log1p(dyad.distance_km[v] / 1000) for v in dyad.venue_ids])


def farthest(dyad: Dyad) -> str:
    return max(dyad.venue_ids, key=lambda v: dyad.distance_km[v])


@register
@dataclass(frozen=True)
class WartimeTravel(VenueTerm):
    """``log(1 + distance_km / 1000)`` of each venue from the home city while the war is
    active (a war period of the record, and no ceasefire on the horizon path), else 0.

    A statement about it is about the odds of the farthest venue (for Kim–Putin, Moscow)
    against the home venue during active war, so the parameter is the stated log multiplier
    divided by that venue's attribute value (:meth:`stated_scale`).
    """

    kind = "wartime_travel"
    default = dict(low=0.1, high=1.2, confidence=0.8)
    documented = "docs/model.md §4 (wartime travel); default §5.3"

    @classmethod
    def default_label(cls, dyad: Dyad) -> str:
        far, home = dyad.venue_label(farthest(dyad)), dyad.venue_label(dyad.home_venue)
        return f"{far} vs {home} odds during active war"

    @classmethod
    def stated_scale(cls, dyad: Dyad) -> float:
        return float(travel_scale(dyad)[dyad.venue_ids.index(farthest(dyad))])

    def attribute(self, ctx: Context) -> np.ndarray:
        return ctx.war_active()[:, None] * travel_scale(ctx.dyad)[None, :]
