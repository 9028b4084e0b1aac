"""What drives the number: the horizon's hazard, per posterior draw, as a product of factors.

For one draw the daily hazard on day ``t`` of horizon path ``j`` is
``h_jt = exp(log_rate + sum_k beta_k x_jtk) / 365`` on the days a meeting is possible, and the
expected cumulative hazard over the horizon is ``H = sum_j w_j sum_t h_jt`` (the paths' weights
``w_j``; one path of weight 1 for a point assumption, when ``P(summit by the end) = 1 - exp(-H)``
exactly). With the weights ``pi_jt = w_j h_jt / H`` (where the hazard falls, over paths and
days) it factorises exactly:

``H = baseline_per_year x prod_k m_k x exposure_years``, where

* ``baseline_per_year = exp(log_rate)``: summits a year with every term at zero;
* ``m_k = exp(beta_k * sum_jt pi_jt x_jtk)``: term ``k``'s multiplier, its coefficient times
  its value averaged where the hazard falls (a term that is 1 on the days that matter gives its
  full multiplier; one that is on for a few days of little hazard, close to 1);
* ``exposure_years = exp(-sum_jt pi_jt log(pi_jt / w_j)) / 365``: the effective length of the
  horizon in years, at most its number of meeting-possible days (less when the hazard is
  concentrated on a few days, e.g. an occasion).

With the news to come (docs/model.md §3.5) the day's hazard is also multiplied by ``G_jt``,
one more factor (``news_to_come``) in the product, its multiplier ``exp(sum_jt pi_jt log
G_jt)``. With announced meetings in the model (docs/model.md §3.5) the horizon's hazard is that
background ``H`` plus the announced meetings' ``A = sum_j w_j sum_t c_jt``, which is no product
of the terms; it is reported beside them (``announced``), and ``total`` is ``H + A``.

Taking logarithms, ``log H`` is the sum of the logs of the factors draw by draw, so the bars of
the report's decomposition add up on a log scale; their medians need not multiply to the median
of ``H``. :func:`decompose` returns the per-draw factors; :func:`summary` the posterior median
and 80% interval of each, for forecast.json.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.design.prepare import ModelData
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.predict import INTERVAL, Draws, announced_hazard

CHUNK = 512  # draws at a time: memory stays (CHUNK x days) whatever the number of draws
#: The news to come's factor: its name and kind in the decomposition (not a term of the fit).
NEWS = "news_to_come"
NEWS_LABEL = "the news still to come, as often as in the record (docs/model.md §3.5)"


@dataclass(frozen=True)
class Decomposition:
    """Per-draw factors of the horizon's expected cumulative hazard (see the module docstring)."""

    names: tuple[str, ...]  # timing terms, in the model's order (then NEWS, when on)
    labels: tuple[str, ...]
    kinds: tuple[str, ...]
    baseline_per_year: np.ndarray  # (D,)
    multipliers: np.ndarray  # (D, K)
    exposure_years: np.ndarray  # (D,)
    total: np.ndarray  # (D,) the expected cumulative hazard, H (+ A with announced meetings)
    announced: np.ndarray | None = None  # (D,) A, the announced meetings' part (None: none)

    @property
    def background(self) -> np.ndarray:
        """(D,) ``H``: the part the factors multiply to."""
        return self.total if self.announced is None else self.total - self.announced

    def log_factors(self) -> np.ndarray:
        """(D, K+2) logs of baseline, each multiplier and exposure; each row sums to log H
        (:attr:`background`)."""
        return np.column_stack(
            [np.log(self.baseline_per_year), np.log(self.multipliers), np.log(self.exposure_years)]
        )


def _log_news(data: ModelData, draws: Draws) -> list[np.ndarray] | None:
    """Per path, (D, t) ``log G_h`` of the news to come on its meeting-possible days (None when
    no path has it; forecast/design/news.py)."""
    if all(p.news is None for p in data.paths):
        return None
    own = draws.news_inputs()
    out = []
    for p in data.paths:
        on = p.active > 0
        if p.news is None:
            out.append(np.zeros((len(draws.log_rate), int(on.sum()))))
        else:
            out.append(np.log(p.news.factor(own, len(p.active)))[:, on])
    return out


def decompose(data: ModelData, draws: Draws) -> Decomposition:
    """The per-draw factors of the horizon's hazard (exact: they multiply to ``total``).

    With the news to come on, its ``G_h`` (forecast/design/news.py) is one more factor, named
    :data:`NEWS`, its multiplier ``exp(sum_jt pi_jt log G_jt)``."""
    n = len(draws.log_rate)
    k = len(data.timing_terms)
    news = _log_news(data, draws)
    weighted_x = np.zeros((n, k))
    weighted_news = np.zeros(n)
    log_total = np.zeros(n)
    kl = np.zeros(n)
    for lo in range(0, n, CHUNK):
        sl = slice(lo, min(lo + CHUNK, n))
        beta = draws.beta[sl]
        # log(w_j h_jt) on every meeting-possible (path, day), per draw: (d, cells)
        logs, xs, logw = [], [], []
        for j, p in enumerate(data.paths):
            on = p.active > 0
            x = p.X[on]  # (t, K)
            log_h = draws.log_rate[sl, None] + beta @ x.T + np.log(p.weight)
            logs.append(log_h if news is None else log_h + news[j][sl])
            xs.append(x)
            logw.append(np.full(int(on.sum()), np.log(p.weight)))
        a = np.concatenate(logs, axis=1) - np.log(DAYS_PER_YEAR)
        x_all = np.concatenate(xs, axis=0)
        lw = np.concatenate(logw)
        top = a.max(axis=1, keepdims=True)
        e = np.exp(a - top)
        s = e.sum(axis=1, keepdims=True)
        pi = e / s
        log_total[sl] = (top + np.log(s))[:, 0]
        weighted_x[sl] = pi @ x_all
        if news is not None:
            weighted_news[sl] = np.sum(pi * np.concatenate([g[sl] for g in news], axis=1), axis=1)
        log_pi = a - log_total[sl, None]
        kl[sl] = np.sum(pi * (log_pi - lw[None, :]), axis=1)
    multipliers = np.exp(draws.beta * weighted_x)
    names = tuple(t.name for t in data.timing_terms)
    labels = tuple(t.prior.label for t in data.timing_terms)
    kinds = tuple(t.kind for t in data.timing_terms)
    if news is not None:
        multipliers = np.column_stack([multipliers, np.exp(weighted_news)])
        names, labels, kinds = names + (NEWS,), labels + (NEWS_LABEL,), kinds + (NEWS,)
    announced = None
    for p in data.paths:
        a = announced_hazard(p, draws)
        if a is not None:
            announced = (0.0 if announced is None else announced) + p.weight * a.sum(axis=1)
    total = np.exp(log_total)
    return Decomposition(
        names=names,
        labels=labels,
        kinds=kinds,
        baseline_per_year=np.exp(draws.log_rate),
        multipliers=multipliers,
        exposure_years=np.exp(-kl) / DAYS_PER_YEAR,
        total=total if announced is None else total + announced,
        announced=announced,
    )


def _median_interval(values: np.ndarray) -> dict:
    lo, hi = np.quantile(values, INTERVAL)
    return {"p50": float(np.median(values)), "lo": float(lo), "hi": float(hi)}


def summary(dec: Decomposition) -> dict:
    """Posterior median and 80% interval of each factor (forecast.json's ``decomposition``)."""
    out = {
        "total_hazard": _median_interval(dec.total),
        "baseline_per_year": _median_interval(dec.baseline_per_year),
        "exposure_years": _median_interval(dec.exposure_years),
        "terms": [
            {
                "name": name,
                "label": label,
                "kind": kind,
                "multiplier": _median_interval(dec.multipliers[:, i]),
            }
            for i, (name, label, kind) in enumerate(
                zip(dec.names, dec.labels, dec.kinds, strict=True)
            )
        ],
    }
    if dec.announced is not None:
        out["announced_share"] = _median_interval(dec.announced / dec.total)
    return out
