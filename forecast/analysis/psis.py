"""Pareto-smoothed importance sampling (PSIS) weights, in plain NumPy.

A line-by-line port of ``arviz_stats``' ``psislw`` (Vehtari, Simpson, Gelman, Yao and Gabry,
"Pareto smoothed importance sampling", JMLR 2024, with the Zhang–Stephens generalized-Pareto
fit and its weak prior on k). It lives here only because importing ``arviz_stats`` costs about
a second, a third of the report's time budget; ``tests/analysis/test_psis.py`` checks that
both give the same weights and the same k.
"""

from __future__ import annotations

import math

import numpy as np


def _logsumexp(x: np.ndarray) -> float:
    top = float(np.max(x))
    return top + math.log(float(np.sum(np.exp(x - top))))


def _gpdfit(x: np.ndarray) -> tuple[float, float]:
    """Empirical-Bayes (k, sigma) of a generalized Pareto fitted to sorted exceedances ``x``."""
    prior_bs, prior_k = 3, 10
    n = len(x)
    m_est = 30 + int(n**0.5)
    xstar = x[int((n / 4 + 0.5) - 1)]  # first quartile
    if xstar <= x[0]:
        return math.nan, math.nan
    b = 1 - np.sqrt(m_est / (np.arange(1, m_est + 1, dtype=float) - 0.5))
    b /= prior_bs * xstar
    b += 1 / x[-1]
    k = np.mean(np.log1p(-b[:, None] * x), axis=1)
    len_scale = n * (np.log(-b / k) - k - 1)
    w = np.exp(len_scale - _logsumexp(len_scale))
    keep = w >= 10 * np.finfo(float).eps
    w, b = w[keep], b[keep]
    w /= w.sum()
    b_post = float(np.sum(b * w))
    kappa = float(np.mean(np.log1p(-b_post * x)))
    sigma = -kappa / b_post
    kappa = (n * kappa + prior_k * 0.5) / (n + prior_k)
    if math.isnan(kappa):
        return math.inf, math.nan
    return kappa, sigma


def _gpinv(p: np.ndarray, kappa: float, sigma: float, mu: float) -> np.ndarray:
    if sigma <= 0:
        return np.full_like(p, np.nan)
    if kappa == 0:
        return mu - sigma * np.log1p(-p)
    return mu + sigma * np.expm1(-kappa * np.log1p(-p)) / kappa


#: The fewest draws PSIS can smooth (a tail of at least 5 is a fifth of 25 draws).
MIN_DRAWS = 25


def psis_log_weights(log_ratio: np.ndarray, r_eff: float = 1.0) -> tuple[np.ndarray, float]:
    """Normalised PSIS log weights for importance ratios ``exp(log_ratio)``, and Pareto k.

    Parameters
    ----------
    log_ratio
        1-D log importance ratios, log(target density / proposal density) at each draw.
    r_eff
        Relative efficiency of the draws (1 for independent draws).

    Returns
    -------
    log_weights, k
        Log weights that sum (after ``exp``) to one; the estimated Pareto shape of the upper
        tail of the ratios (above about 0.7 the weighted estimates are unreliable).
    """
    lw = np.asarray(log_ratio, dtype=float).ravel().copy()
    n = len(lw)
    n_tail = int(math.floor(3 * (n / r_eff) ** 0.5) if n * r_eff > 225 else math.floor(n / 5))
    if n_tail < 5:
        raise ValueError(f"expected at least {MIN_DRAWS} draws for PSIS, got {n}")
    lw -= lw.max()
    order = np.argsort(lw)
    tail_ids = np.arange(n - n_tail, n)
    tail = lw[order[tail_ids]]
    cutoff = lw[order[tail_ids[0] - 1]]
    if abs(tail.max() - tail.min()) < np.finfo(float).tiny:
        raise ValueError("all tail values are the same")
    kappa, sigma = _gpdfit(np.exp(tail) - math.exp(cutoff))
    if math.isfinite(kappa):
        p = np.arange(0.5, n_tail) / n_tail
        smoothed = np.log(_gpinv(p, kappa, sigma, math.exp(cutoff)))
        smoothed[smoothed > tail.max()] = tail.max()
        lw[order[tail_ids]] = smoothed
    return lw - _logsumexp(lw), kappa
