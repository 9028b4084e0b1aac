"""What drives the number: each timing term's multiplier of the horizon's hazard, on a log scale.

Drawn from ``forecast.json``'s ``decomposition`` (:mod:`forecast.decompose`): one bar per term
that moves the hazard (posterior median, 80% interval as whiskers), 1× marked; terms that are
exactly 1× in every draw (zero over the whole horizon, e.g. a ceasefire while the war continues)
are left out and named in the caption instead.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, NullFormatter

from forecast.io.document import ForecastDocument, as_document
from forecast.plots.style import ACCENT, INK, LIGHT, WIDTH, styled

TICKS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


def driver_rows(document: ForecastDocument | dict) -> tuple[list, list]:
    """The decomposition's terms that act on the horizon (largest effect first) and those that
    do not (:meth:`forecast.io.document_parts.Decomposition.acting`); both empty without a
    decomposition."""
    doc = as_document(document)
    return ([], []) if doc.decomposition is None else doc.decomposition.acting()


@styled
def plot_drivers(
    document: ForecastDocument | dict, words: dict[str, str] | None = None, ax: Axes | None = None
) -> Figure:
    """Horizontal bars of each acting term's multiplier (median, 80% interval), log scale.

    Parameters
    ----------
    document
        A forecast document with a ``decomposition``.
    words
        Optional display names by term name (the report passes its plain-language names).
    ax
        Axes to draw on; a new report-width figure when omitted.
    """
    acting, _ = driver_rows(document)
    rows = list(reversed(acting))  # largest at the top
    height = 0.55 + 0.24 * max(len(rows), 1)
    if ax is None:
        fig = Figure(figsize=(WIDTH, height), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.figure
    y = np.arange(len(rows))
    med = np.array([t.multiplier.p50 for t in rows])
    lo = np.array([t.multiplier.lo for t in rows])
    hi = np.array([t.multiplier.hi for t in rows])
    left = np.minimum(med, 1.0)
    ax.barh(
        y,
        np.abs(med - 1.0) + 0.0,
        left=left,
        height=0.55,
        color=LIGHT,
        edgecolor=ACCENT,
        hatch="////",
        linewidth=0.8,
    )
    ax.errorbar(
        med,
        y,
        xerr=[med - lo, hi - med],
        fmt="o",
        color=INK,
        markersize=3,
        elinewidth=0.9,
        capsize=3,
    )
    ax.axvline(1.0, color=INK, linewidth=0.8)
    names = words or {}
    ax.set_yticks(y, [names.get(t.name, t.name.replace("_", " ")) for t in rows])
    ax.set_xscale("log")
    span = max(float(np.max(hi)) if len(hi) else 2.0, 1 / float(np.min(lo)) if len(lo) else 2.0)
    edge = max(2.0, span * 1.2)
    ax.set_xlim(1 / edge, edge)
    ticks = [v for v in TICKS if 1 / edge <= v <= edge]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_major_formatter(_times)
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    ax.set_xlabel("multiplier of the horizon's hazard (log scale; 1× = no effect)")
    return fig


def _times(value: float, _pos: int) -> str:
    return f"{value:g}×"
