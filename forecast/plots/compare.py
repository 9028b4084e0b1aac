"""Figures of a comparison (:mod:`forecast.analysis.compare`): the cumulative curves overlaid
and the venue shares side by side."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from forecast.analysis.compare import Comparison
from forecast.plots.style import ACCENT, INK, LINESTYLES, WIDTH, percent_label, styled

COLORS = (ACCENT, "#b2182b", "#4d9221", "#7b3294", "#e08214", INK)
HATCHES = ("", "////", "\\\\\\\\", "xx", "..", "--")


def letter(i: int) -> str:
    """The item's letter in tables and legends: A, B, C, …"""
    return chr(ord("A") + i)


@styled
def plot_compare_curves(comparison: Comparison) -> Figure:
    """P(next summit by each date) of every item, with its 80% band, on one time axis."""
    import matplotlib as mpl

    fig = Figure(figsize=(WIDTH, 3.0), layout="constrained")
    ax = fig.add_subplot()
    for i, it in enumerate(comparison.items):
        surv = it.mixed[0]
        cdf = 1.0 - surv
        days = np.array(
            [np.datetime64(it.data.scenario.as_of)] + [np.datetime64(d) for d in it.dates]
        )
        lo, hi = np.quantile(cdf, (0.1, 0.9), axis=0)
        color = COLORS[i % len(COLORS)]
        ax.fill_between(days, lo, hi, color=color, alpha=0.12, linewidth=0)
        ax.plot(
            days,
            cdf.mean(axis=0),
            color=color,
            linestyle=LINESTYLES[i % len(LINESTYLES)],
            linewidth=1.6,
            label=f"{letter(i)}: {it.name}",
        )
    ax.set_ylim(0, None)
    ax.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
    ax.set_ylabel("P(next summit by date)")
    locator = mpl.dates.AutoDateLocator(minticks=4, maxticks=9)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator, show_offset=False))
    ax.legend(loc="upper left", fontsize=7)
    return fig


@styled
def plot_compare_venues(comparison: Comparison) -> Figure:
    """Venue shares of the next summit (within each item's horizon), items side by side."""
    import matplotlib as mpl

    rows = [r for r in comparison.rows if r.kind == "venue"]
    n = len(comparison.items)
    fig = Figure(figsize=(WIDTH, 0.5 + 0.32 * len(rows) * max(1, n / 2)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))
    height = 0.8 / n
    for i, it in enumerate(comparison.items):
        at = y - 0.4 + height * (i + 0.5)
        p = np.array([np.nan if r.values[i] is None else r.values[i].mean() for r in rows])
        lo = np.array(
            [np.nan if r.values[i] is None else np.quantile(r.values[i], 0.1) for r in rows]
        )
        hi = np.array(
            [np.nan if r.values[i] is None else np.quantile(r.values[i], 0.9) for r in rows]
        )
        color = COLORS[i % len(COLORS)]
        ax.barh(
            at,
            p,
            height=height * 0.9,
            color="white",
            edgecolor=color,
            hatch=HATCHES[i % len(HATCHES)],
            label=f"{letter(i)}: {it.name}",
        )
        ax.errorbar(
            p,
            at,
            xerr=np.clip([p - lo, hi - p], 0, None),
            fmt="none",
            ecolor=INK,
            elinewidth=0.8,
            capsize=2,
        )
    ax.set_yticks(y, [r.label.removeprefix("venue: ") for r in rows])
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
    ax.set_xlabel("P(venue | next summit within the horizon)")
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=7)
    return fig
