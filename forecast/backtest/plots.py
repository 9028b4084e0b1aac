"""Backtest figures as free functions returning the Figure (Agg-safe, no global state)."""

from __future__ import annotations

from datetime import date

import numpy as np
from matplotlib.figure import Figure
from scipy.stats import beta as beta_dist

from forecast.backtest.run import Backtest

BINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
MODEL_COLOR = "#1f4e79"
BASE_COLORS = {"constant": "#999999", "wartime": "#c07020"}


def reliability_table(p: np.ndarray, y: np.ndarray, bins: tuple[float, ...] = BINS) -> list[dict]:
    """Per bin of forecast probability: count, mean forecast, observed frequency and its 80%
    Jeffreys interval (Beta(k + 1/2, n - k + 1/2) quantiles; 0 or 1 at the ends when no or
    every forecast in the bin was followed by a summit)."""
    p, y = np.asarray(p, float), np.asarray(y, float)
    which = np.clip(np.digitize(p, bins[1:-1], right=True), 0, len(bins) - 2)
    rows = []
    for b in range(len(bins) - 1):
        inside = which == b
        n = int(inside.sum())
        if n == 0:
            continue
        k = float(y[inside].sum())
        lo, hi = beta_dist.ppf([0.1, 0.9], k + 0.5, n - k + 0.5)
        lo, hi = (0.0 if k == 0 else lo), (1.0 if k == n else hi)  # Brown–Cai–DasGupta ends
        rows.append(
            {
                "bin": (bins[b], bins[b + 1]),
                "n": n,
                "events": int(k),
                "mean_forecast": float(p[inside].mean()),
                "observed": k / n,
                "lo": float(lo),
                "hi": float(hi),
            }
        )
    return rows


def plot_reliability(bt: Backtest) -> Figure:
    """Reliability diagram, one panel per window: binned forecast vs observed frequency."""
    wins = bt.settings.windows
    fig = Figure(figsize=(4.2 * len(wins), 4.2), layout="constrained")
    axes = fig.subplots(1, len(wins), squeeze=False)[0]
    for k, (ax, w) in enumerate(zip(axes, wins, strict=True)):
        y = np.array([r.windows[k]["outcome"] for r in bt.origins], float)
        p = np.array([r.windows[k]["p"] for r in bt.origins])
        rows = reliability_table(p, y)
        top = max(0.5, max((r["hi"] for r in rows), default=0), p.max() * 1.1)
        ax.plot([0, top], [0, top], color="#bbbbbb", lw=1, ls="--", label="perfect calibration")
        xs = np.array([r["mean_forecast"] for r in rows])
        obs = np.array([r["observed"] for r in rows])
        err = np.array([[o - r["lo"], r["hi"] - o] for o, r in zip(obs, rows, strict=True)]).T
        ax.errorbar(xs, obs, yerr=err, fmt="o", color=MODEL_COLOR, capsize=3, label="model")
        for b, (x, o, r) in enumerate(zip(xs, obs, rows, strict=True)):
            ax.annotate(  # alternate above/below so neighbouring low bins stay legible
                f"n={r['n']}, {r['events']} hit",
                (x, o),
                textcoords="offset points",
                xytext=(6, 6 if b % 2 else -12),
                fontsize=7,
                color="#333333",
            )
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel("forecast probability (bin mean)")
        ax.set_ylabel("observed frequency (80% interval)")
        ax.set_title(f"summit within {w} days ({int(y.sum())} of {len(y)} origins)", fontsize=10)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Backtest reliability: few events, wide intervals", fontsize=11)
    return fig


def plot_forecasts(bt: Backtest) -> Figure:
    """Forecast probability at each origin, model vs baselines, with the summits marked."""
    wins = bt.settings.windows
    fig = Figure(figsize=(9, 2.6 * len(wins)), layout="constrained")
    axes = fig.subplots(len(wins), 1, squeeze=False, sharex=True)[:, 0]
    days = [r.origin for r in bt.origins]
    summits = sorted({r.next_summit.date for r in bt.origins if r.next_summit is not None})
    for k, (ax, w) in enumerate(zip(axes, wins, strict=True)):
        rows = [r.windows[k] for r in bt.origins]
        ax.fill_between(
            days,
            [r["lo"] for r in rows],
            [r["hi"] for r in rows],
            color=MODEL_COLOR,
            alpha=0.2,
            lw=0,
        )
        ax.plot(days, [r["p"] for r in rows], color=MODEL_COLOR, lw=1.5, label="model (80% band)")
        for name, color in BASE_COLORS.items():
            ax.plot(days, [r[name] for r in rows], color=color, lw=1, ls="--", label=name)
        hit = [d for d, r in zip(days, rows, strict=True) if r["outcome"]]
        ax.plot(hit, [0.0] * len(hit), "|", color="black", ms=8, label="summit followed")
        for s in summits:
            if days[0] <= s <= _last(days, w):
                ax.axvline(s, color="#aa2222", lw=0.8)
        ax.set_ylim(0, 1)
        ax.set_ylabel(f"P(summit within {w} d)")
        ax.legend(fontsize=7, loc="upper left", ncols=4)
    axes[-1].set_xlabel("origin (red lines: summits)")
    return fig


def _last(days: list[date], w: int) -> date:
    from datetime import timedelta

    return days[-1] + timedelta(days=w)
