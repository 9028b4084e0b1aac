"""Recent high-level exchanges: a rank-weighted intensity that halves every half-life."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, TimingTerm, register
from forecast.terms.knots import exchange_available, knots

#: Weight of one exchange by the rank of its most senior traveller (ranks: the dataset README).
RANK_WEIGHT = {"L": 2.0, "M1": 1.0, "M2": 0.5, "M3": 0.25}


@register
@dataclass(frozen=True)
class Exchanges(TimingTerm):
    """Sum over exchanges that have ended of ``weight(rank) * 2^(-days since / half-life)``,
    evaluated at knots (:mod:`forecast.terms.knots`)."""

    kind = "exchanges"
    default = dict(low=0.8, high=3.0, confidence=0.8)
    label = "per unit of recent exchange intensity (one minister-level visit just ended)"
    documented = "docs/model.md §3.3 (exchanges); default §5.3"

    def column(self, ctx: Context) -> np.ndarray:
        at, which = knots(ctx)
        weights = np.array([RANK_WEIGHT[x.rank] for x in ctx.record.exchanges])
        if not len(weights):
            return np.zeros(len(ctx.days))
        half_life = ctx.scenario.model.exchange_half_life_days
        age = (at[:, None] - exchange_available(ctx)[None, :]).astype(float)
        contrib = np.where(age >= 0, weights[None, :] * np.exp2(-np.maximum(age, 0) / half_life), 0)
        return contrib.sum(axis=1)[which]
