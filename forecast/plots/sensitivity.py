"""The sensitivity tornado: the headline with each prior moved to each end of its range."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from forecast.plots.style import ACCENT, INK, LIGHT, MUTED, WIDTH, percent_label, styled


@styled
def plot_tornado(result: dict, top: int = 12) -> Figure:
    """Bars from the headline at the low end to the high end of each effect's range, largest
    swing at the top, around the reference headline (a vertical line), with the band of ±2
    Monte Carlo standard errors within which a swing is noise.

    Parameters
    ----------
    result
        ``sensitivity.json`` as a dict (:func:`forecast.sensitivity.outputs.document`).
    top
        How many effects to draw (the largest swings); the rest are counted in the title.
    """
    import matplotlib as mpl

    rows = result["rows"][:top]
    rest = len(result["rows"]) - len(rows)
    ref, mcse = result["reference"], result["reference_mcse"]
    fig = Figure(figsize=(WIDTH, 0.7 + 0.26 * len(rows)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    for yi, r in zip(y, rows, strict=True):
        lo, hi = r["p_low"], r["p_high"]
        ax.barh(yi, hi - ref, left=ref, height=0.6, color=ACCENT, alpha=0.75)
        ax.barh(yi, lo - ref, left=ref, height=0.6, color=LIGHT, edgecolor=ACCENT, hatch="////")
    ax.axvspan(ref - 2 * mcse, ref + 2 * mcse, color=MUTED, alpha=0.18, linewidth=0)
    ax.axvline(ref, color=INK, linewidth=1.0)
    ax.set_yticks(y, [r["effect"] for r in rows])
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
    ax.set_xlabel(
        "P(next summit by the horizon's end): prior at the low end (hatched) / high end (solid)"
    )
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    if rest:
        ax.set_title(f"{rest} smaller swing(s) not drawn", fontsize=7, loc="right")
    return fig
