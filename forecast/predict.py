"""Forecast arithmetic on posterior draws: timing curve, windows, months and venues.

For each posterior draw the daily hazard over the horizon gives the survival curve
``S(t) = exp(-sum of daily hazards up to t)`` of the *next* summit, so
``P(next summit on or before t) = 1 - S(t)`` and ``P(next summit inside [a, b]) = S(a-1) - S(b)``
exactly (the hazard is constant within each day). The venue distribution of the next summit
weights each day's venue probabilities by the probability that the next summit falls on that
day. Every summary is a posterior mean with an 80% equal-tailed interval across draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import xarray as xr

from forecast.design.paths import DAYS_PER_YEAR
from forecast.design.prepare import ModelData
from forecast.domain.vocab import VENUE_CLASSES

INTERVAL = (0.1, 0.9)


@dataclass
class Draws:
    """Flattened posterior draws of the model's parameters."""

    log_rate: np.ndarray  # (D,)
    beta: np.ndarray  # (D, K)
    venue_asc: np.ndarray  # (D, J-1)
    venue_beta: np.ndarray  # (D, A)

    @classmethod
    def from_dataset(cls, post: xr.Dataset) -> Draws:
        def flat(name: str) -> np.ndarray:
            da = post[name].stack(sample=("chain", "draw")).transpose("sample", ...)
            return np.asarray(da.values, dtype=float)

        return cls(flat("log_rate"), flat("beta"), flat("venue_asc"), flat("venue_beta"))


def summarise(values: np.ndarray) -> dict:
    """``{"p": mean, "lo", "hi"}`` of draws: the posterior mean and the 80% interval."""
    lo, hi = np.quantile(values, INTERVAL)
    return {"p": float(np.mean(values)), "lo": float(lo), "hi": float(hi)}


def survival(data: ModelData, draws: Draws) -> np.ndarray:
    """(D, T+1) survival of the next summit at the end of each horizon day (column 0 = as_of)."""
    log_h = draws.log_rate[:, None] + draws.beta @ data.horizon.X.T  # (D, T) per year
    daily = np.exp(log_h) / DAYS_PER_YEAR
    cum = np.concatenate([np.zeros((len(daily), 1)), np.cumsum(daily, axis=1)], axis=1)
    return np.exp(-cum)


def venue_probabilities(data: ModelData, draws: Draws) -> np.ndarray:
    """(D, T, J) probability of each venue class for a summit on each horizon day."""
    asc = np.concatenate([np.zeros((len(draws.venue_asc), 1)), draws.venue_asc], axis=1)
    util = asc[:, None, :] + np.einsum("tja,da->dtj", data.horizon_venue_attrs, draws.venue_beta)
    util -= util.max(axis=2, keepdims=True)
    expu = np.exp(util)
    return expu / expu.sum(axis=2, keepdims=True)


def forecast(data: ModelData, draws: Draws) -> dict:
    """All forecast summaries as plain data (the body of forecast.json)."""
    sc = data.scenario
    dates = [date.fromisoformat(str(d)) for d in data.horizon.dates]
    surv = survival(data, draws)
    cdf = 1.0 - surv[:, 1:]  # (D, T)
    density = surv[:, :-1] - surv[:, 1:]  # (D, T) P(next summit on day t)
    venue_p = venue_probabilities(data, draws)

    by_date = [{"date": d.isoformat(), **summarise(cdf[:, t])} for t, d in enumerate(dates)]

    def index(day: date) -> int:
        return (day - dates[0]).days

    def venue_mix(lo: int, hi: int) -> list[dict]:
        w = density[:, lo : hi + 1]
        mass = w.sum(axis=1)
        num = np.einsum("dt,dtj->dj", w, venue_p[:, lo : hi + 1, :])
        share = num / np.maximum(mass, 1e-300)[:, None]
        return [{"venue": v, **summarise(share[:, j])} for j, v in enumerate(VENUE_CLASSES)]

    windows = []
    for w in sc.windows:
        lo, hi = index(w.start), index(w.end)
        windows.append(
            {
                "name": w.name,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                **summarise(surv[:, lo] - surv[:, hi + 1]),
                "p_none_before": float(np.mean(surv[:, lo])),
                "venues": venue_mix(lo, hi),
            }
        )

    months = []
    month_keys = sorted({(d.year, d.month) for d in dates})
    for y, m in month_keys:
        idx = [t for t, d in enumerate(dates) if (d.year, d.month) == (y, m)]
        lo, hi = idx[0], idx[-1]
        months.append({"month": f"{y:04d}-{m:02d}", **summarise(surv[:, lo] - surv[:, hi + 1])})

    mean_cdf = cdf.mean(axis=0)
    crossed = np.flatnonzero(mean_cdf >= 0.5)
    median = dates[crossed[0]].isoformat() if len(crossed) else None
    quantiles = {}  # of the posterior-predictive distribution of the next summit's date
    for name, level in (("q10", 0.1), ("q90", 0.9)):
        hit = np.flatnonzero(mean_cdf >= level)
        quantiles[name] = dates[hit[0]].isoformat() if len(hit) else None

    last = data.last_summit
    return {
        "headline": {
            "by_horizon_end": summarise(cdf[:, -1]),
            "first_window": {k: windows[0][k] for k in ("name", "p", "lo", "hi")},
        },
        "median_date": median,
        "date_quantiles": quantiles,
        "by_date": by_date,
        "by_month": months,
        "windows": windows,
        "venues": venue_mix(0, len(dates) - 1),
        "last_summit": None
        if last is None
        else {
            "date": last.date.isoformat(),
            "venue_class": last.venue_class,
            "site": last.site,
        },
    }
