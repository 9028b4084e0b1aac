"""Proper scores of binary forecasts, skill against baselines, and block-bootstrap intervals.

The Brier and log scores come from :mod:`scoringrules` (mean over origins, lower is better;
the log score is the negative log-likelihood in nats). The Brier skill score against a
baseline is ``1 - Brier(model) / Brier(baseline)`` (higher is better, 0 = no better).

Intervals: consecutive origins share most of their windows (monthly origins, 90- or 180-day
windows), so their outcomes are not independent. Origins are resampled in circular blocks
(Politis & Romano) as long as a window, i.e. ``ceil(window / spacing)`` origins, and every
score of a resample uses the same origins, so model and baselines are compared on equal
terms. With a handful of summits in the record the intervals are wide; they describe the
sampling variability of the origins, not of the model's parameters.
"""

from __future__ import annotations

import math

import numpy as np

INTERVAL = 0.8
N_BOOT = 2000


def brier(outcome: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Per-origin Brier score ``(p - y)^2`` (via scoringrules)."""
    # imported here: scoringrules compiles its numba kernels on import (about 8 s), which
    # readers of the scores (the report, the terminal summary) need not pay
    import scoringrules as sr

    return np.asarray(sr.brier_score(np.asarray(outcome, float), np.asarray(p, float)))


def log_score(outcome: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Per-origin log score ``-log |p + y - 1|`` in nats (via scoringrules)."""
    import scoringrules as sr

    return np.asarray(sr.log_score(np.asarray(outcome, float), np.asarray(p, float)))


def block_indices(n: int, block: int, n_boot: int, seed: int) -> np.ndarray:
    """(n_boot, n) origin indices of circular block-bootstrap resamples."""
    rng = np.random.default_rng(seed)
    block = max(1, min(block, n))
    k = math.ceil(n / block)
    starts = rng.integers(0, n, size=(n_boot, k))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n
    return idx.reshape(n_boot, k * block)[:, :n]


def _interval(value: float, boot: np.ndarray) -> dict:
    a = (1 - INTERVAL) / 2
    lo, hi = np.nanquantile(boot, (a, 1 - a))
    # an interpolated quantile next to an infinite resample is nan: the bound is unbounded (a
    # skill against a baseline with a perfect score on a resample is -inf there)
    if np.isnan(lo) and np.any(np.isneginf(boot)):
        lo = -np.inf
    if np.isnan(hi) and np.any(np.isposinf(boot)):
        hi = np.inf
    return {"value": float(value), "lo": float(lo), "hi": float(hi)}


def skill_interval(iv: dict) -> str:
    """A skill's interval as ``"+0.12 to +0.34"``; an unbounded end (infinite, or null once
    written as JSON) is ``-inf`` below and ``+inf`` above."""

    def end(x: float | None, unbounded: str) -> str:
        return unbounded if x is None or not math.isfinite(x) else f"{x:+.2f}"

    return f"{end(iv['lo'], '-inf')} to {end(iv['hi'], '+inf')}"


def window_scores(
    outcome: np.ndarray,
    model: np.ndarray,
    baselines: dict[str, np.ndarray],
    *,
    block: int,
    seed: int,
    n_boot: int = N_BOOT,
) -> dict:
    """Mean Brier and log scores of the model and each baseline, and the Brier skill scores,
    each with a paired block-bootstrap interval."""
    with np.errstate(divide="ignore", invalid="ignore"):  # a 0-or-1 rule's log score is inf
        return _window_scores(outcome, model, baselines, block=block, seed=seed, n_boot=n_boot)


def _window_scores(outcome, model, baselines, *, block: int, seed: int, n_boot: int) -> dict:
    y = np.asarray(outcome, float)
    idx = block_indices(len(y), block, n_boot, seed)
    m_b, m_l = brier(y, model), log_score(y, model)
    out = {
        "n": len(y),
        "n_events": int(y.sum()),
        "brier": _interval(m_b.mean(), m_b[idx].mean(axis=1)),
        "log": _interval(m_l.mean(), m_l[idx].mean(axis=1)),
        "baselines": [],
    }
    for name, p in baselines.items():
        b_b, b_l = brier(y, p), log_score(y, p)
        boot_skill = 1.0 - m_b[idx].mean(axis=1) / b_b[idx].mean(axis=1)
        out["baselines"].append(
            {
                "name": name,
                "brier": _interval(b_b.mean(), b_b[idx].mean(axis=1)),
                "log": _interval(b_l.mean(), b_l[idx].mean(axis=1)),
                "bss": _interval(1.0 - m_b.mean() / b_b.mean(), boot_skill),
            }
        )
    return out


def venue_scores(p_actual: np.ndarray, n_venues: int, *, block: int, seed: int) -> dict:
    """Log score of the venue forecast (``-log p`` of the venue that happened) vs uniform.

    ``skill`` is ``1 - LS(model) / log(n_venues)``: 0 is no better than a uniform guess.
    """
    ls = -np.log(np.asarray(p_actual, float))
    uniform = math.log(n_venues)
    if len(ls) == 0:
        return {"n": 0, "log_score": None, "uniform_log_score": uniform, "skill": None}
    idx = block_indices(len(ls), block, N_BOOT, seed)
    boot = ls[idx].mean(axis=1)
    return {
        "n": len(ls),
        "log_score": _interval(ls.mean(), boot),
        "uniform_log_score": uniform,
        "skill": _interval(1.0 - ls.mean() / uniform, 1.0 - boot / uniform),
    }
