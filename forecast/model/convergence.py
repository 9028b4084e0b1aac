"""Convergence diagnostics of one fit in plain NumPy: rank-normalised R-hat, bulk and tail ESS.

A line-by-line port of ``arviz_stats``' array functions ``rhat(method="rank")``,
``ess(method="bulk")`` and ``ess(method="tail")`` (Vehtari, Gelman, Simpson, Carpenter and
Bürkner, "Rank-normalization, folding, and localization: an improved R-hat", Bayesian Analysis
2021), tail ESS at arviz-stats' default probability (``stats.ci_prob``, 0.89: the indicators
of the 11% and 89% quantiles). It lives here only because importing ``arviz_stats`` pulls in
``scipy.stats`` and the whole LOO tree, about 0.6 s of a 4-second run;
``tests/model/test_convergence.py`` checks that both give the same numbers. It uses only
``scipy.special.ndtri`` and ``scipy.fft.next_fast_len``, which the samplers import anyway.
"""

from __future__ import annotations

import numpy as np

#: arviz-stats' default ``stats.ci_prob``: tail ESS is the smaller ESS of the indicators of
#: the ``1 - TAIL_PROB`` and ``TAIL_PROB`` quantiles.
TAIL_PROB = 0.89
_MIN_DRAWS = 4


def _split_chains(ary: np.ndarray) -> np.ndarray:
    half = ary.shape[1] // 2
    return np.vstack((ary[:, :half], ary[:, -half:]))


def _rankdata(ary: np.ndarray) -> np.ndarray:
    """Average ranks (1-based, ties share their mean rank) of the flattened array."""
    flat = ary.ravel()
    order = np.argsort(flat, kind="stable")
    ordered = flat[order]
    first = np.concatenate(([True], ordered[:-1] != ordered[1:]))
    starts = np.flatnonzero(first)
    counts = np.diff(starts, append=flat.size)
    group_ranks = (starts + 1).astype(float) + (counts.astype(float) - 1) / 2
    ranks = np.empty(flat.size)
    ranks[order] = np.repeat(group_ranks, counts)
    return ranks


def _z_scale(ary: np.ndarray) -> np.ndarray:
    from scipy.special import ndtri

    rank = _rankdata(ary)
    c = 3 / 8
    rank = (rank - c) / (rank.size - 2 * c + 1)  # Blom (1958)
    return ndtri(rank).reshape(ary.shape)


def _rhat(ary: np.ndarray) -> float:
    ary = np.asarray(ary, dtype=float)
    _, num_samples = ary.shape
    chain_mean = np.mean(ary, axis=1)
    chain_var = np.var(ary, axis=1, ddof=1)
    between = num_samples * np.var(chain_mean, axis=None, ddof=1)
    within = np.mean(chain_var)
    with np.errstate(invalid="ignore", divide="ignore"):  # constant draws: NaN, as arviz-stats
        return np.sqrt((between / within + num_samples - 1) / (num_samples))


def _autocov(ary: np.ndarray) -> np.ndarray:
    from scipy.fft import next_fast_len

    n = ary.shape[1]
    m = next_fast_len(2 * n, real=True)  # scipy.fftpack.next_fast_len, as arviz-stats uses
    ary = ary - ary.mean(1, keepdims=True)
    spectrum = np.fft.rfft(ary, n=m, axis=1)
    spectrum *= np.conjugate(spectrum)
    cov = np.fft.irfft(spectrum, n=m, axis=1)[:, :n]
    cov /= n
    return cov


def _ess(ary: np.ndarray) -> float:
    """Effective sample size of a (chain, draw) array (Geyer's initial monotone sequence)."""
    ary = np.asarray(ary, dtype=float)
    if (np.max(ary) - np.min(ary)) < np.finfo(float).resolution:
        return ary.size
    n_chain, n_draw = ary.shape
    acov = _autocov(ary)
    chain_mean = ary.mean(axis=1)
    mean_var = np.mean(acov[:, 0]) * n_draw / (n_draw - 1.0)
    var_plus = mean_var * (n_draw - 1.0) / n_draw
    if n_chain > 1:
        var_plus += np.var(chain_mean, axis=None, ddof=1)

    rho_hat_t = np.zeros(n_draw)
    rho_hat_even = 1.0
    rho_hat_t[0] = rho_hat_even
    rho_hat_odd = 1.0 - (mean_var - np.mean(acov[:, 1])) / var_plus
    rho_hat_t[1] = rho_hat_odd

    # Geyer's initial positive sequence
    t = 1
    while t < (n_draw - 3) and (rho_hat_even + rho_hat_odd) > 0.0:
        rho_hat_even = 1.0 - (mean_var - np.mean(acov[:, t + 1])) / var_plus
        rho_hat_odd = 1.0 - (mean_var - np.mean(acov[:, t + 2])) / var_plus
        if (rho_hat_even + rho_hat_odd) >= 0:
            rho_hat_t[t + 1] = rho_hat_even
            rho_hat_t[t + 2] = rho_hat_odd
        t += 2

    max_t = t - 2
    if rho_hat_even > 0:
        rho_hat_t[max_t + 1] = rho_hat_even
    # Geyer's initial monotone sequence
    t = 1
    while t <= max_t - 2:
        if (rho_hat_t[t + 1] + rho_hat_t[t + 2]) > (rho_hat_t[t - 1] + rho_hat_t[t]):
            rho_hat_t[t + 1] = (rho_hat_t[t - 1] + rho_hat_t[t]) / 2.0
            rho_hat_t[t + 2] = rho_hat_t[t + 1]
        t += 2

    ess = n_chain * n_draw
    tau_hat = -1.0 + 2.0 * np.sum(rho_hat_t[: max_t + 1]) + np.sum(rho_hat_t[max_t + 1 : max_t + 2])
    tau_hat = max(tau_hat, 1 / np.log10(ess))
    ess = ess / tau_hat
    if np.isnan(rho_hat_t).any():
        ess = np.nan
    return ess


def _invalid(ary: np.ndarray, min_chains: int) -> bool:
    return bool(np.isnan(ary).any()) or ary.shape[0] < min_chains or ary.shape[1] < _MIN_DRAWS


def rhat_rank(ary: np.ndarray) -> float:
    """Rank-normalised split R-hat (the larger of bulk and folded) of one (chain, draw) array;
    NaN with fewer than two chains or four draws."""
    ary = np.asarray(ary)
    if _invalid(ary, min_chains=2):
        return np.nan
    split = _split_chains(ary)
    bulk = _rhat(_z_scale(split))
    tail = _rhat(_z_scale(abs(split - np.median(split))))
    return max(bulk, tail)


def ess_bulk(ary: np.ndarray) -> float:
    """Bulk ESS (of the rank-normalised split chains) of one (chain, draw) array."""
    ary = np.asarray(ary)
    if _invalid(ary, min_chains=1):
        return np.nan
    return _ess(_z_scale(_split_chains(ary)))


def ess_tail(ary: np.ndarray, prob: float = TAIL_PROB) -> float:
    """Tail ESS of one (chain, draw) array: the smaller ESS of the indicators of the
    ``1 - prob`` and ``prob`` quantiles (split chains)."""
    ary = np.asarray(ary)
    if _invalid(ary, min_chains=1):
        return np.nan
    out = []
    for p in sorted((prob, 1 - prob)):
        below = ary <= np.quantile(ary, p, axis=None, method="linear")
        out.append(_ess(_split_chains(below)))
    return min(out)


def per_scalar(func, values: np.ndarray) -> np.ndarray:
    """``func`` of every scalar of a (chain, draw, ...) array: an array of the trailing shape."""
    values = np.asarray(values)
    out = np.empty(values.shape[2:])
    for idx in np.ndindex(*values.shape[2:]):
        out[idx] = func(values[(slice(None), slice(None), *idx)])
    return out
