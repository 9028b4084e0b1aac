"""Backtest figures as free functions returning the Figure (Agg-safe, no global state)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from scipy.stats import beta as beta_dist

from forecast.backtest.run import Backtest, ScoreSet

BINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)
MODEL_COLOR = "#1f4e79"
BASE_COLORS = {"constant": "#999999", "wartime": "#c07020"}
BASE_MARKERS = {"constant": "s", "wartime": "D"}


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


def _what(ss: ScoreSet) -> str:
    """'summit within 90 days', or 'summit by each case's horizon end'."""
    if ss.window_days is not None:
        return f"summit within {ss.window_days} days"
    return "summit by each case's horizon end"


def plot_reliability(bt: Backtest) -> Figure:
    """Reliability diagram, one panel per score row: binned forecast vs observed frequency."""
    sets = bt.score_sets
    fig = Figure(figsize=(4.2 * len(sets), 4.2), layout="constrained")
    axes = fig.subplots(1, len(sets), squeeze=False)[0]
    for ax, ss in zip(axes, sets, strict=True):
        y = np.array([r.windows[ss.index]["outcome"] for r in bt.origins], float)
        p = np.array([r.windows[ss.index]["p"] for r in bt.origins])
        rows = reliability_table(p, y)
        # room above the highest whisker so its cap shows; the diagonal spans the same range
        top = min(1.02, 1.06 * max(0.5, max((r["hi"] for r in rows), default=0), p.max() * 1.1))
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
                bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85},
                zorder=5,
            )
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel("forecast probability (bin mean)")
        ax.set_ylabel("observed frequency (80% interval)")
        ax.set_title(f"{_what(ss)} ({int(y.sum())} of {len(y)} origins)", fontsize=10)
        ax.legend(fontsize=7, loc="upper left")
    fig.suptitle("Backtest reliability: few events, wide intervals", fontsize=11)
    return fig


def plot_forecasts(bt: Backtest) -> Figure:
    """Forecast probability at each origin, model vs baselines, with the summits marked.

    Monthly origins are drawn as lines; the rows of a cases file, whose horizons differ, as
    points (the model with its 80% interval).
    """
    sets = bt.score_sets
    fig = Figure(figsize=(9, 2.6 * len(sets)), layout="constrained")
    axes = fig.subplots(len(sets), 1, squeeze=False, sharex=True)[:, 0]
    days = [r.origin for r in bt.origins]
    summits = sorted({r.next_summit.date for r in bt.origins if r.next_summit is not None})
    for ax, ss in zip(axes, sets, strict=True):
        rows = [r.windows[ss.index] for r in bt.origins]
        _draw_forecasts(ax, days, rows, points=ss.window_days is None)
        hit = [d for d, r in zip(days, rows, strict=True) if r["outcome"]]
        ax.plot(hit, [0.0] * len(hit), "|", color="black", ms=8, label="summit followed")
        last = max(d + timedelta(days=r["window_days"]) for d, r in zip(days, rows, strict=True))
        for s in summits:
            if days[0] <= s <= last:
                ax.axvline(s, color="#aa2222", lw=0.8)
        ax.set_ylim(0, 1)
        short = f"within {ss.window_days} d" if ss.window_days is not None else "by horizon end"
        ax.set_ylabel(f"P(summit {short})")
        ax.legend(fontsize=7, loc="upper left", ncols=4)
    axes[-1].set_xlabel("origin (red lines: summits)")
    return fig


def _draw_forecasts(ax: Axes, days: list[date], rows: list[dict], *, points: bool) -> None:
    """The model's probability with its 80% band (or bars) and the baselines at each origin."""
    p = np.array([r["p"] for r in rows])
    if points:
        err = np.array([[r["p"] - r["lo"], r["hi"] - r["p"]] for r in rows]).T
        ax.errorbar(
            days, p, yerr=err, fmt="o", color=MODEL_COLOR, capsize=3, label="model (80% interval)"
        )
    else:
        lo, hi = [r["lo"] for r in rows], [r["hi"] for r in rows]
        ax.fill_between(days, lo, hi, color=MODEL_COLOR, alpha=0.2, lw=0)
        ax.plot(days, p, color=MODEL_COLOR, lw=1.5, label="model (80% band)")
    for name, color in BASE_COLORS.items():
        style = {"ls": "--", "lw": 1}
        if points:  # hollow markers, distinct from the model's error-bar caps
            style = {"ls": "none", "marker": BASE_MARKERS[name], "ms": 6, "fillstyle": "none"}
        ax.plot(days, [r[name] for r in rows], color=color, label=name, **style)
