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
    """(..., chain, draw) -> (..., 2 chain, draw // 2): each chain's first and last halves."""
    half = ary.shape[-1] // 2
    return np.concatenate((ary[..., :half], ary[..., -half:]), axis=-2)


def _rankdata(ary: np.ndarray) -> np.ndarray:
    """Average ranks (1-based, ties share their mean rank) of each row of a (P, M) array."""
    rows, m = ary.shape
    order = np.argsort(ary, axis=1, kind="stable")
    ordered = np.take_along_axis(ary, order, axis=1)
    first = np.ones_like(ordered, dtype=bool)
    first[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    starts = np.flatnonzero(first)  # positions in the flattened rows; every row starts a group
    counts = np.diff(starts, append=first.size)
    group_ranks = (starts % m + 1).astype(float) + (counts.astype(float) - 1) / 2
    ranks = np.empty((rows, m))
    np.put_along_axis(ranks, order, np.repeat(group_ranks, counts).reshape(rows, m), axis=1)
    return ranks


def _z_scale(ary: np.ndarray) -> np.ndarray:
    """Rank-normalised values of each (chain, draw) slice of a (P, chain, draw) array."""
    from scipy.special import ndtri

    flat = ary.reshape(ary.shape[0], -1)
    rank = _rankdata(flat)
    c = 3 / 8
    rank = (rank - c) / (flat.shape[1] - 2 * c + 1)  # Blom (1958)
    return ndtri(rank).reshape(ary.shape)


def _rhat(ary: np.ndarray) -> np.ndarray:
    """Split R-hat of each (chain, draw) slice of a (P, chain, draw) array."""
    ary = np.asarray(ary, dtype=float)
    num_samples = ary.shape[-1]
    chain_mean = np.mean(ary, axis=-1)
    chain_var = np.var(ary, axis=-1, ddof=1)
    between = num_samples * np.var(chain_mean, axis=-1, ddof=1)
    within = np.mean(chain_var, axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):  # constant draws: NaN, as arviz-stats
        return np.sqrt((between / within + num_samples - 1) / (num_samples))


def _autocov(ary: np.ndarray) -> np.ndarray:
    from scipy.fft import next_fast_len

    n = ary.shape[-1]
    m = next_fast_len(2 * n, real=True)  # scipy.fftpack.next_fast_len, as arviz-stats uses
    ary = ary - ary.mean(-1, keepdims=True)
    spectrum = np.fft.rfft(ary, n=m, axis=-1)
    spectrum *= np.conjugate(spectrum)
    cov = np.fft.irfft(spectrum, n=m, axis=-1)[..., :n]
    cov /= n
    return cov


def _ess(ary: np.ndarray) -> np.ndarray:
    """Effective sample size of each (chain, draw) slice of a (P, chain, draw) array
    (Geyer's initial monotone sequence); the FFTs of every slice are computed together."""
    ary = np.asarray(ary, dtype=float)
    n_chain, n_draw = ary.shape[-2:]
    flat = ary.reshape(ary.shape[0], -1)
    constant = (np.max(flat, axis=1) - np.min(flat, axis=1)) < np.finfo(float).resolution
    acov = _autocov(ary)
    out = np.empty(ary.shape[0])
    for p in range(ary.shape[0]):
        out[p] = ary[p].size if constant[p] else _geyer(acov[p], ary[p], n_chain, n_draw)
    return out


def _geyer(acov: np.ndarray, ary: np.ndarray, n_chain: int, n_draw: int) -> float:
    """ESS from one slice's per-chain autocovariances (arviz-stats' ``_ess``, line by line)."""
    chain_mean = ary.mean(axis=1)
    mean_var = np.mean(acov[:, 0]) * n_draw / (n_draw - 1.0)
    var_plus = mean_var * (n_draw - 1.0) / n_draw
    if n_chain > 1:
        var_plus += np.var(chain_mean, axis=None, ddof=1)
    mean_acov = acov.mean(axis=0)  # np.mean(acov[:, t]) for every t at once, the same sums

    rho_hat_t = np.zeros(n_draw)
    rho_hat_even = 1.0
    rho_hat_t[0] = rho_hat_even
    rho_hat_odd = 1.0 - (mean_var - mean_acov[1]) / var_plus
    rho_hat_t[1] = rho_hat_odd

    # Geyer's initial positive sequence
    t = 1
    while t < (n_draw - 3) and (rho_hat_even + rho_hat_odd) > 0.0:
        rho_hat_even = 1.0 - (mean_var - mean_acov[t + 1]) / var_plus
        rho_hat_odd = 1.0 - (mean_var - mean_acov[t + 2]) / var_plus
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


def _ess_tail(stack: np.ndarray, prob: float = TAIL_PROB) -> np.ndarray:
    """Tail ESS of one (chain, draw) array, or of every scalar of a (chain, draw, ...) array:
    the smaller ESS of the indicators of the ``1 - prob`` and ``prob`` quantiles (split
    chains)."""
    flat = stack.reshape(stack.shape[0], -1)
    out = []
    for p in sorted((prob, 1 - prob)):
        cut = np.quantile(flat, p, axis=1, method="linear")[:, None, None]
        out.append(_ess(_split_chains(stack <= cut)))
    return np.minimum(*out)


def diagnostics(ary: np.ndarray, prob: float = TAIL_PROB) -> dict[str, np.ndarray]:
    """R-hat, bulk ESS and tail ESS of every scalar of a (chain, draw, ...) array at once,
    each of the trailing shape (the ranks, FFTs and quantiles of all scalars computed
    together, the split chains ranked once for R-hat and bulk ESS). A scalar with a NaN, or
    fewer than four draws, gives NaN; R-hat is NaN with fewer than two chains."""
    ary = np.asarray(ary, dtype=float)
    chains, draws, *trailing = ary.shape
    stack = np.moveaxis(ary.reshape(chains, draws, -1), -1, 0)
    out = {k: np.full(stack.shape[0], np.nan) for k in ("rhat", "ess_bulk", "ess_tail")}
    ok = ~np.isnan(stack).any(axis=(1, 2))
    if draws >= _MIN_DRAWS and ok.any():
        good = stack[ok]
        split = _split_chains(good)
        z = _z_scale(split)
        if chains >= 2:
            median = np.median(split.reshape(split.shape[0], -1), axis=1)[:, None, None]
            out["rhat"][ok] = np.maximum(_rhat(z), _rhat(_z_scale(abs(split - median))))
        out["ess_bulk"][ok] = _ess(z)
        out["ess_tail"][ok] = _ess_tail(good, prob)
    return {k: v.reshape(trailing) for k, v in out.items()}


def _one(values: np.ndarray) -> float | np.ndarray:
    return float(values) if values.ndim == 0 else values


def rhat_rank(ary: np.ndarray) -> float | np.ndarray:
    """Rank-normalised split R-hat (the larger of bulk and folded) of one (chain, draw) array,
    or of every scalar of a (chain, draw, ...) array (see :func:`diagnostics`)."""
    return _one(diagnostics(ary)["rhat"])


def ess_bulk(ary: np.ndarray) -> float | np.ndarray:
    """Bulk ESS (of the rank-normalised split chains) of one (chain, draw) array, or of every
    scalar of a (chain, draw, ...) array (see :func:`diagnostics`)."""
    return _one(diagnostics(ary)["ess_bulk"])


def ess_tail(ary: np.ndarray, prob: float = TAIL_PROB) -> float | np.ndarray:
    """Tail ESS of one (chain, draw) array, or of every scalar of a (chain, draw, ...) array:
    the smaller ESS of the indicators of the ``1 - prob`` and ``prob`` quantiles (split
    chains; see :func:`diagnostics`)."""
    return _one(diagnostics(ary, prob)["ess_tail"])


def mcse_mean(ary: np.ndarray) -> float:
    """Monte Carlo standard error of the mean of one (chain, draw) array: the draws' standard
    deviation over the square root of the ESS of the split chains (arviz-stats'
    ``mcse(method="mean")``). NaN with a NaN or fewer than four draws."""
    ary = np.asarray(ary, dtype=float)
    if ary.shape[-1] < _MIN_DRAWS or np.isnan(ary).any():
        return float("nan")
    ess = _ess(_split_chains(ary[None]))[0]
    return float(np.std(ary, ddof=1) / np.sqrt(ess))
