"""Knots: the days on which the two continuous timing terms are re-evaluated.

The rank-weighted, decaying intensity of recent exchanges and log2 of the time since the last
summit change every day in truth; the model evaluates them only at *knots* — the 1st and 16th
of each month, the day after an exchange ends and the day after a summit — and holds them
constant in between. The hazard is then exactly piecewise constant, so the
piecewise-exponential likelihood (Poisson counts with exposure) is exact.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np

from forecast.terms.base import Context


def exchange_available(ctx: Context) -> np.ndarray:
    """The day after each known exchange ended (when it can first count), datetime64[D]."""
    return np.array(
        [np.datetime64(x.end + timedelta(days=1), "D") for x in ctx.record.exchanges],
        dtype="M8[D]",
    )


def summit_days(ctx: Context) -> np.ndarray:
    """The days of every summit in the record (the dyad's and its predecessors')."""
    return np.array([np.datetime64(s.date, "D") for s in ctx.record.summits], dtype="M8[D]")


def knots(ctx: Context) -> tuple[np.ndarray, np.ndarray]:
    """The knot days within ``ctx.days`` and, for every day, the index of its knot."""
    days = ctx.days
    dom = (days - days.astype("M8[M]")).astype(int) + 1
    is_knot = (dom == 1) | (dom == 16)
    is_knot[0] = True
    is_knot |= np.isin(days, exchange_available(ctx))
    is_knot |= np.isin(days, summit_days(ctx) + np.timedelta64(1, "D"))
    return days[is_knot], np.cumsum(is_knot) - 1
