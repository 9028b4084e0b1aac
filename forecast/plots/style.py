"""The one style of every figure: the report's width, its colours and :data:`STYLE`.

:func:`styled` applies :data:`STYLE` to a plotting function (the one place it is applied), so
the figures of the PDF report, the notebook and anyone's own scripts look alike. Everything is
readable in black and white: bands are hatched (:data:`HATCHES`), lines differ in style
(:data:`LINESTYLES`), not only in colour.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure

#: Figure width in inches: the text width of the A4 report, so type prints at its true size.
WIDTH = 6.5
INK = "#1f2a36"
ACCENT = "#1d5c8f"
MUTED = "#8a96a3"
LIGHT = "#dfe6ee"
HATCHES = ("///", "\\\\\\", "..", "xx", "++", "oo")
LINESTYLES = ("--", ":", "-.", (0, (5, 1, 1, 1, 1, 1)))

#: The one Matplotlib style of every figure (sizes in points; the report's body text is 10 pt).
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8.5,
    "axes.titlesize": 9,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 8.5,
    "axes.edgecolor": INK,
    "axes.labelcolor": INK,
    "axes.linewidth": 0.7,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "grid.color": "#c9d1da",
    "grid.linewidth": 0.5,
    "xtick.color": INK,
    "ytick.color": INK,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "legend.fontsize": 7.5,
    "legend.frameon": False,
    "hatch.linewidth": 0.5,
    "hatch.color": INK,
    "svg.fonttype": "none",  # text stays text in SVG (selectable in the PDF)
    "svg.hashsalt": "summit-forecast",  # fixed ids of clip paths and hatches: the same SVG
    "figure.dpi": 100,
}


def styled(func: Callable[..., Figure]) -> Callable[..., Figure]:
    """Draw ``func`` under :data:`STYLE` (the one place the style is applied)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Figure:
        with mpl.rc_context(STYLE):
            return func(*args, **kwargs)

    return wrapper


def percent_label(value: float) -> str:
    """A tick value as a percentage with as many decimals as it needs (0.025 → "2.5%"), so a
    label never rounds its gridline to another value."""
    text = f"{100 * value:.2f}".rstrip("0").rstrip(".")
    return ("0" if text in ("-0", "") else text) + "%"
