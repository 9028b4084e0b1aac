"""Forecast arithmetic on posterior draws: timing curve, windows, months and venues.

For each posterior draw the daily hazard over the horizon gives the survival curve
``S(t) = exp(-sum of daily hazards up to t)`` of the *next* summit, so
``P(next summit on or before t) = 1 - S(t)`` and ``P(next summit inside [a, b]) = S(a-1) - S(b)``
exactly (the hazard is constant within each day). The venue distribution of the next summit
weights each day's venue probabilities by the probability that the next summit falls on that
day. Every summary is a posterior mean with an 80% equal-tailed interval across draws.

With announced meetings in the model (docs/model.md §3.5) a day's hazard is the background's
plus the announced meeting's, and a summit on that day is at the announced venue with the
announced hazard's share of the day's hazard (at the venue model's mix otherwise).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import xarray as xr

from forecast.design.announced import daily_hazard
from forecast.design.prepare import HorizonPath, ModelData
from forecast.domain.vocab import DAYS_PER_YEAR

INTERVAL = (0.1, 0.9)


@dataclass
class Draws:
    """Flattened posterior draws of the model's parameters."""

    log_rate: np.ndarray  # (D,)
    beta: np.ndarray  # (D, K)
    venue_asc: np.ndarray  # (D, J-1)
    venue_beta: np.ndarray  # (D, A)
    announce_logit: np.ndarray | None = None  # (D,), when announced meetings are in the model
    framed_logit: np.ndarray | None = None  # (D,), with announce_logit

    @classmethod
    def from_dataset(cls, post: xr.Dataset) -> Draws:
        def flat(name: str) -> np.ndarray:
            v = np.asarray(post[name].transpose("chain", "draw", ...).values, dtype=float)
            return v.reshape(v.shape[0] * v.shape[1], *v.shape[2:])  # chain-major, as stack

        def optional(name: str) -> np.ndarray | None:
            return flat(name) if name in post else None

        return cls(
            flat("log_rate"),
            flat("beta"),
            flat("venue_asc"),
            flat("venue_beta"),
            optional("announce_logit"),
            optional("framed_logit"),
        )

    def kept(self) -> np.ndarray | None:
        """(D,) the probability ``q`` that an announcement is kept, ``sigmoid(announce_logit)``
        (None without announced meetings)."""
        a = self.announce_logit
        return None if a is None else 1.0 / (1.0 + np.exp(-a))

    def borne_out(self) -> np.ndarray | None:
        """(D,) the probability ``q_f`` that a time-framed signal is borne out,
        ``sigmoid(framed_logit)`` (None without announced meetings)."""
        f = self.framed_logit
        return None if f is None else 1.0 / (1.0 + np.exp(-f))

    def take(self, index) -> Draws:
        """The draws ``index`` (a slice or index array) of every parameter."""
        a, f = self.announce_logit, self.framed_logit
        return Draws(
            self.log_rate[index],
            self.beta[index],
            self.venue_asc[index],
            self.venue_beta[index],
            None if a is None else a[index],
            None if f is None else f[index],
        )

    def news_inputs(self) -> tuple[np.ndarray | None, ...]:
        """The draws :func:`forecast.design.news.uplift` takes: ``log_rate``, ``beta``,
        ``announce_logit`` and ``framed_logit`` (the same arrays, so the news's cache holds)."""
        return (self.log_rate, self.beta, self.announce_logit, self.framed_logit)

    def claim_probabilities(self) -> tuple[np.ndarray, np.ndarray]:
        """``(q, q_f)`` as (D, 1) columns for :func:`~forecast.design.announced.daily_hazard`."""
        return self.kept()[:, None], self.borne_out()[:, None]


def summarise(values: np.ndarray) -> dict:
    """``{"p": mean, "lo", "hi"}`` of draws: the posterior mean and the 80% interval."""
    lo, hi = np.quantile(values, INTERVAL)
    return {"p": float(np.mean(values)), "lo": float(lo), "hi": float(hi)}


def announced_hazard(path: HorizonPath, draws: Draws) -> np.ndarray | None:
    """(D, T) the announced meeting's daily hazard along one path, or None when there is none
    (announced meetings off, or no announcement counting on the horizon)."""
    ann = path.announced
    if ann is None or draws.announce_logit is None or not ann.any:
        return None
    return daily_hazard(*draws.claim_probabilities(), ann) * path.active[None, :]


def daily_hazards(path: HorizonPath, draws: Draws) -> tuple[np.ndarray, np.ndarray | None]:
    """(D, T) the background's daily hazard along one path and the announced meeting's
    (:func:`announced_hazard`, None when there is none)."""
    log_h = draws.log_rate[:, None] + draws.beta @ path.X.T  # (D, T) per year
    background = np.exp(log_h) * path.active[None, :] / DAYS_PER_YEAR
    if path.news is not None:  # the news still to come (forecast.design.news)
        background *= path.news.factor(draws.news_inputs(), len(path.active))
    return background, announced_hazard(path, draws)


def survival_and_share(path: HorizonPath, draws: Draws) -> tuple[np.ndarray, np.ndarray | None]:
    """(D, T+1) survival of the next summit along one horizon path (column 0 = as_of), and
    (D, T) the announced meeting's share of each day's hazard (None when there is none), from
    one evaluation of the daily hazards."""
    background, announced = daily_hazards(path, draws)
    daily = background if announced is None else background + announced
    cum = np.concatenate([np.zeros((len(daily), 1)), np.cumsum(daily, axis=1)], axis=1)
    share = None
    if announced is not None:
        share = np.divide(announced, daily, out=np.zeros_like(daily), where=daily > 0)
    return np.exp(-cum), share


def path_survival(path: HorizonPath, draws: Draws) -> np.ndarray:
    """(D, T+1) survival of the next summit along one horizon path (column 0 = as_of)."""
    return survival_and_share(path, draws)[0]


def _with_announced_venue(
    probs: np.ndarray, path: HorizonPath, share: np.ndarray | None, days: slice
) -> np.ndarray:
    """``probs`` (D, t, J), the venue model's mix on ``days``, with the announced meeting's
    share of each day (``share`` over the whole path) sent to the venue its announcement names,
    where it names one."""
    if share is None:
        return probs
    venue = path.announced.venue[days]  # (t, J), rows 0 or summing to 1
    w = share[:, days] * venue.sum(axis=1)[None, :]
    return probs * (1.0 - w)[:, :, None] + w[:, :, None] * venue[None, :, :]


def survival(data: ModelData, draws: Draws) -> np.ndarray:
    """(D, T+1) survival of the next summit at the end of each horizon day (column 0 = as_of),
    mixed over the horizon's paths with their weights."""
    return sum(p.weight * path_survival(p, draws) for p in data.paths)


def path_venue_probabilities(path: HorizonPath, draws: Draws) -> np.ndarray:
    """(D, T, J) probability of each venue class for a summit on each day of one path."""
    asc = np.concatenate([np.zeros((len(draws.venue_asc), 1)), draws.venue_asc], axis=1)
    util = asc[:, None, :] + np.einsum("tja,da->dtj", path.venue_attrs, draws.venue_beta)
    util -= util.max(axis=2, keepdims=True)
    expu = np.exp(util)
    return expu / expu.sum(axis=2, keepdims=True)


def mixture(data: ModelData, draws: Draws) -> tuple[np.ndarray, np.ndarray]:
    """The mixed survival (D, T+1) and venue density (D, T, J) in one pass over the paths.

    The venue density is the probability that the next summit falls on day t at venue j:
    summed over venues it is the next summit's daily density; over a run of days and divided
    by that run's mass, the venue distribution of a summit inside it.
    """
    surv, vdens = 0.0, 0.0
    for p in data.paths:
        s, share = survival_and_share(p, draws)
        density = s[:, :-1] - s[:, 1:]
        surv = surv + p.weight * s
        probs = _with_announced_venue(path_venue_probabilities(p, draws), p, share, slice(None))
        vdens = vdens + p.weight * density[:, :, None] * probs
    return surv, vdens


#: Horizon days per chunk of the venue arithmetic: its (draws, days, venues) arrays are at most
#: this many days long, so their memory does not grow with the horizon.
CHUNK_DAYS = 128


def mixture_sums(
    data: ModelData, draws: Draws, spans: list[tuple[int, int]]
) -> tuple[np.ndarray, np.ndarray]:
    """The mixed survival (D, T+1) and the venue density of :func:`mixture` summed over each
    span of days ``(lo, hi)`` (inclusive day indices), (D, len(spans), J).

    The same numbers as summing :func:`mixture`'s venue density, computed in chunks of
    :data:`CHUNK_DAYS` days, so the (D, T, J) array is never held.
    """
    n_draws, n_days = len(draws.log_rate), len(data.horizon_dates)
    n_venues = len(data.dyad.venue_ids)
    asc = np.concatenate([np.zeros((n_draws, 1)), draws.venue_asc], axis=1)
    surv = np.zeros((n_draws, n_days + 1))
    sums = np.zeros((n_draws, len(spans), n_venues))
    for p in data.paths:
        s, share = survival_and_share(p, draws)
        surv += p.weight * s
        for c0 in range(0, n_days, CHUNK_DAYS):
            c1 = min(n_days, c0 + CHUNK_DAYS)
            util = asc[:, None, :] + np.einsum(
                "tja,da->dtj", p.venue_attrs[c0:c1], draws.venue_beta
            )
            util -= util.max(axis=2, keepdims=True)
            np.exp(util, out=util)
            util /= util.sum(axis=2, keepdims=True)
            util = _with_announced_venue(util, p, share, slice(c0, c1))
            util *= (p.weight * (s[:, c0:c1] - s[:, c0 + 1 : c1 + 1]))[:, :, None]
            for k, (lo, hi) in enumerate(spans):
                a, b = max(lo, c0), min(hi, c1 - 1)
                if a <= b:
                    sums[:, k] += util[:, a - c0 : b - c0 + 1].sum(axis=1)
    return surv, sums


def forecast_spans(data: ModelData) -> list[tuple[int, int]]:
    """The day spans :func:`forecast` sums the venue density over: each scenario window, then
    the whole horizon (inclusive day indices)."""
    first = date.fromisoformat(str(data.horizon_dates[0]))
    out = [((w.start - first).days, (w.end - first).days) for w in data.scenario.windows]
    return out + [(0, len(data.horizon_dates) - 1)]


def forecast(
    data: ModelData, draws: Draws, sums: tuple[np.ndarray, np.ndarray] | None = None
) -> dict:
    """All forecast summaries as plain data (the body of forecast.json).

    ``sums`` is :func:`mixture_sums` over :func:`forecast_spans` when the caller already has it
    (computed otherwise)."""
    sc = data.scenario
    dates = [date.fromisoformat(str(d)) for d in data.horizon_dates]
    venues = data.dyad.venue_ids

    spans_ = forecast_spans(data)
    surv, vsums = mixture_sums(data, draws, spans_) if sums is None else sums
    # surv (D, T+1), vsums (D, windows + 1, J)
    cdf = 1.0 - surv[:, 1:]  # (D, T)

    lo_q, hi_q = np.quantile(cdf, INTERVAL, axis=0)
    means = cdf.mean(axis=0)
    by_date = [
        {"date": d.isoformat(), "p": float(means[t]), "lo": float(lo_q[t]), "hi": float(hi_q[t])}
        for t, d in enumerate(dates)
    ]

    def venue_mix(k: int) -> list[dict]:
        num = vsums[:, k, :]
        mass = num.sum(axis=1)
        # A draw in which a summit inside the span has no probability at all (its survival
        # underflowed before it, e.g. after a near-certain announced meeting) says nothing
        # about the venue there: the mix is over the draws that give the span some mass.
        held = mass > 0
        if not held.any():
            share = np.full((1, len(venues)), 1.0 / len(venues))
        else:
            share = num[held] / mass[held, None]
        return [{"venue": v, **summarise(share[:, j])} for j, v in enumerate(venues)]

    windows = []
    for k, w in enumerate(sc.windows):
        lo, hi = spans_[k]
        windows.append(
            {
                "name": w.name,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                **summarise(surv[:, lo] - surv[:, hi + 1]),
                "p_none_before": float(np.mean(surv[:, lo])),
                "venues": venue_mix(k),
            }
        )

    months = []
    month_of = np.array([d.year * 12 + d.month - 1 for d in dates])
    for key in np.unique(month_of):
        idx = np.flatnonzero(month_of == key)
        lo, hi = int(idx[0]), int(idx[-1])
        y, m = divmod(int(key), 12)
        months.append({"month": f"{y:04d}-{m + 1:02d}", **summarise(surv[:, lo] - surv[:, hi + 1])})

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
        "venues": venue_mix(len(spans_) - 1),
        "last_summit": None
        if last is None
        else {
            "date": last.date.isoformat(),
            "venue_class": last.venue_class,
            "site": last.site,
        },
    }
