"""Free plotting functions on a forecast document (the typed ``forecast.json``).

Each function takes the document (plus what it needs) and an optional Matplotlib ``ax`` and
returns the :class:`~matplotlib.figure.Figure` it drew on. One style,
:data:`~forecast.plots.style.STYLE`, is applied in one place (the
:func:`~forecast.plots.style.styled` decorator of :mod:`forecast.plots.style`, whose names are
importable from here as well), so the figures of the PDF report, the notebook and anyone's own
scripts look alike. Everything is readable in black and white: bands are hatched, lines differ
in style, not only in colour.

Example
-------
>>> from forecast.io.document import read_document
>>> from forecast.plots.forecast import plot_cumulative
>>> doc = read_document("reports/june-anniversary/forecast.json")  # doctest: +SKIP
>>> plot_cumulative(doc).savefig("cumulative.svg")  # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, timedelta

import matplotlib as mpl
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecast.io.document import Effect, ForecastDocument, as_document
from forecast.plots.style import (
    ACCENT,
    HATCHES,
    INK,
    LIGHT,
    LINESTYLES,
    MUTED,
    WIDTH,
    percent_label,
    styled,
)
from forecast.plots.style import STYLE as STYLE


def _axes(
    ax: Axes | None, height: float, margins: dict[str, float] | None = None
) -> tuple[Figure, Axes]:
    """The given axes, or a new report-width figure: constrained layout, or fixed ``margins``
    (figure fractions, cheaper to draw) where the layout is known in advance."""
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=(WIDTH, height), layout=None if margins else "constrained")
    if margins:
        fig.subplots_adjust(**margins)
    return fig, fig.add_subplot()


def _day(value: str | date) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)


def _percent_axis(ax: Axes, axis: str = "y") -> None:
    fmt = mpl.ticker.FuncFormatter(lambda v, _: percent_label(v))
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


@styled
def plot_cumulative(
    document: ForecastDocument | dict,
    ax: Axes | None = None,
    occasions: Iterable[tuple[str, str | date, str | date]] | None = None,
) -> Figure:
    """P(next summit on or before each date) with its 80% band; windows and occasions marked.

    Parameters
    ----------
    document
        A forecast document (``forecast.json``).
    ax
        Axes to draw on; a new report-width figure when omitted.
    occasions
        ``(label, start, end)`` of anniversaries and scheduled occasions to mark on the time
        axis (the document does not list them; :func:`forecast.report.content.occasions`
        derives them from a saved run).

    Returns
    -------
    matplotlib.figure.Figure
    """
    document = as_document(document)
    n_windows = len(document.windows)
    entries = n_windows + 2 + (1 if occasions else 0)
    legend_rows = math.ceil(entries / (2 if n_windows <= 3 else 1))
    fig, ax = _axes(ax, 2.55 + 0.18 * legend_rows)
    rows = document.by_date
    days = np.array([np.datetime64(r.date) for r in rows])
    p = np.array([r.p for r in rows])
    lo = np.array([r.lo for r in rows])
    hi = np.array([r.hi for r in rows])
    start = np.datetime64(document.as_of)
    days = np.concatenate([[start], days])
    p, lo, hi = (np.concatenate([[0.0], a]) for a in (p, lo, hi))

    top = min(1.0, max(0.1, math.ceil(float(hi.max()) * 10 + 0.5) / 10))
    horizon = float((days[-1] - days[0]).astype(int))
    long_rank = 0
    for i, w in enumerate(document.windows):
        first = np.datetime64(w.start)
        last = np.datetime64(w.end) + np.timedelta64(1, "D")
        if (last - first).astype(int) <= horizon / 3:
            ax.axvspan(
                first,
                last,
                facecolor="none",
                edgecolor=MUTED,
                hatch=HATCHES[i % len(HATCHES)],
                linewidth=0,
                alpha=0.45,
                label=f"window: {w.name}",
                zorder=0,
            )
        else:  # a long window would hatch most of the plot: a bracket along the bottom instead
            level = top * (0.03 + 0.035 * long_rank)
            long_rank += 1
            ax.plot(
                [first, last],
                [level, level],
                color=INK,
                linewidth=1.1,
                linestyle=LINESTYLES[long_rank % len(LINESTYLES)],
                marker="|",
                markersize=6,
                label=f"window: {w.name}",
                zorder=4,
            )
    ax.fill_between(
        days,
        lo,
        hi,
        facecolor=LIGHT,
        edgecolor=ACCENT,
        linewidth=0.4,
        linestyle="--",
        label="80% credible band",
        zorder=1,
    )
    ax.plot(days, p, color=ACCENT, linewidth=1.8, label="P(next summit by date)", zorder=3)

    occ = sorted(occasions or [], key=lambda o: str(o[1]))
    # Rotated labels need about 8 pt between them: push a crowded label to the right.
    points_per_day = 0.78 * fig.get_figwidth() * 72 / max(horizon, 1.0)
    next_free = -math.inf
    for label, first, last in occ:
        a, b = np.datetime64(_day(first)), np.datetime64(_day(last))
        ax.axvline(a, color=INK, linewidth=0.7, linestyle=":", zorder=2)
        if b > a:
            ax.axvline(b, color=INK, linewidth=0.7, linestyle=":", zorder=2)
        at = float((a - days[0]).astype(int)) * points_per_day
        shift = max(0.0, next_free - at)
        next_free = at + shift + 8.5
        ax.annotate(
            label,
            xy=(a, top),
            xytext=(1.5 + shift, -3),
            textcoords="offset points",
            rotation=90,
            fontsize=6.5,
            color=INK,
            va="top",
            ha="left",
            bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.4, "alpha": 0.8},
            zorder=4,
        )

    ax.set_xlim(days[0], days[-1])
    ax.set_ylim(0, top)
    _percent_axis(ax)
    ax.set_ylabel("probability")
    locator = mpl.dates.AutoDateLocator(minticks=4, maxticks=10)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator, show_offset=False))
    if occ:
        ax.plot([], [], color=INK, linewidth=0.7, linestyle=":", label="occasion (dotted)")
    ax.legend(
        loc="upper left",
        bbox_to_anchor=(0, -0.12),
        ncols=2 if n_windows <= 3 else 1,
        borderaxespad=0,
    )
    return fig


def _interval_bars(ax: Axes, at: np.ndarray, rows: Sequence, horizontal: bool = False) -> None:
    """Hatched bars at ``at`` for each row's ``p``, with its 80% interval as whiskers."""
    p = np.array([r.p for r in rows])
    err = np.clip([[r.p - r.lo for r in rows], [r.hi - r.p for r in rows]], 0, None)
    bar = dict(color=LIGHT, edgecolor=ACCENT, hatch="////", linewidth=0.8)
    whisker = dict(fmt="none", ecolor=INK, elinewidth=0.9, capsize=3)
    if horizontal:
        ax.barh(at, p, height=0.6, **bar)
        ax.errorbar(p, at, xerr=err, **whisker)
    else:
        ax.bar(at, p, width=0.65, **bar)
        ax.errorbar(at, p, yerr=err, **whisker)


@styled
def plot_months(document: ForecastDocument | dict, ax: Axes | None = None) -> Figure:
    """Probability that the next summit falls in each calendar month, with 80% intervals.

    Parameters
    ----------
    document
        A forecast document (``forecast.json``).
    ax
        Axes to draw on; a new report-width figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, 2.4)
    rows = as_document(document).by_month
    labels = [date.fromisoformat(r.month + "-01").strftime("%b\n%Y") for r in rows]
    x = np.arange(len(rows))
    _interval_bars(ax, x, rows)
    ax.set_xticks(x, labels)
    ax.set_xlim(-0.6, len(rows) - 0.4)
    ax.set_ylim(0, max(0.05, float(max(r.hi for r in rows)) * 1.12))
    _percent_axis(ax)
    ax.set_ylabel("P(next summit in month)")
    return fig


@styled
def plot_venues(document: ForecastDocument | dict, ax: Axes | None = None) -> Figure:
    """Venue of the next summit (if it happens within the horizon), with 80% intervals.

    Parameters
    ----------
    document
        A forecast document (``forecast.json``).
    ax
        Axes to draw on; a new report-width figure when omitted.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig, ax = _axes(ax, 2.0)
    document = as_document(document)
    rows = sorted(document.venues, key=lambda v: v.p)
    y = np.arange(len(rows))
    _interval_bars(ax, y, rows, horizontal=True)
    for yi, r in zip(y, rows, strict=True):
        ax.annotate(
            _pct(r.p),
            xy=(r.hi, yi),
            xytext=(5, 0),
            textcoords="offset points",
            va="center",
            fontsize=7.5,
        )
    labels = document.venue_labels
    ax.set_yticks(y, [labels.get(r.venue, r.venue) for r in rows])
    ax.set_xlim(0, min(1.0, max(r.hi for r in rows) * 1.15 + 0.05))
    ax.grid(axis="x")
    ax.grid(axis="y", visible=False)
    _percent_axis(ax, "x")
    ax.set_xlabel("P(venue | next summit within the horizon)")
    return fig


def _kde(values: np.ndarray, grid: np.ndarray) -> np.ndarray:
    """Gaussian kernel density of ``values`` on ``grid`` (Silverman's bandwidth)."""
    n = len(values)
    iqr = np.subtract(*np.quantile(values, (0.75, 0.25)))
    spread = min(values.std(ddof=1), iqr / 1.349) if iqr > 0 else values.std(ddof=1)
    bw = 0.9 * spread * n ** (-1 / 5)
    z = (grid[:, None] - values[None, :]) / bw
    return np.exp(-0.5 * z**2).sum(axis=1) / (n * bw * math.sqrt(2 * math.pi))


def effect(document: ForecastDocument | dict, name: str) -> Effect:
    """The effect called ``name`` (e.g. ``"occasion:treaty_anniversary"``).

    Raises
    ------
    KeyError
        If the document has no such effect (the message lists the names it has).
    """
    return as_document(document).effect(name)


@styled
def plot_prior_posterior(
    document: ForecastDocument | dict,
    name: str,
    ax: Axes | None = None,
    posterior: Sequence[float] | np.ndarray | None = None,
) -> Figure:
    """One effect's prior (log-normal density of the multiplier) beside its posterior.

    The stated (or default) range is hatched, the prior density drawn dashed, the posterior
    shown as its median and 80% interval; with ``posterior`` draws of the multiplier its density
    is drawn as a solid line too. The x axis is logarithmic (multipliers).

    Parameters
    ----------
    document
        A forecast document (``forecast.json``).
    name
        The effect's name (one of ``document.effect_names``).
    ax
        Axes to draw on; a new small figure when omitted.
    posterior
        Optional posterior draws of the multiplier.

    Returns
    -------
    matplotlib.figure.Figure
    """
    # the legend sits to the right of the axes, in the last third of the figure
    fig, ax = _axes(ax, 1.7, {"left": 0.01, "right": 0.66, "bottom": 0.27, "top": 0.98})
    row = effect(document, name)
    mu, sigma = row.prior_log_mu, row.prior_log_sigma
    post = row.posterior_multiplier
    low, high = row.stated_range
    span_lo = min(mu - 3 * sigma, math.log(post.lo), math.log(low)) - 0.15
    span_hi = max(mu + 3 * sigma, math.log(post.hi), math.log(high)) + 0.15
    grid = np.linspace(span_lo, span_hi, 400)
    dens = np.exp(-0.5 * ((grid - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    x = np.exp(grid)
    peak = float(dens.max())
    stated = "stated" if row.origin == "stated" else "default"
    ax.axvspan(
        low,
        high,
        facecolor="none",
        edgecolor=MUTED,
        hatch="\\\\\\\\",
        linewidth=0,
        label=f"{stated} range {low:g}–{high:g} ({row.confidence:.0%})",
    )
    if posterior is not None:
        logs = np.log(np.asarray(posterior, dtype=float))
        logs = logs[np.isfinite(logs)]
        if len(logs) > 1 and logs.std() > 0:
            kde = _kde(logs, grid)
            ax.fill_between(
                x,
                kde,
                facecolor=mpl.colors.to_rgba(LIGHT, 0.7),
                edgecolor=ACCENT,
                linewidth=1.3,
                label="posterior",
            )
            peak = max(peak, float(kde.max()))
    ax.plot(x, dens, color=INK, linestyle="--", linewidth=1.3, label="prior", zorder=3)
    level = -0.12 * peak
    ax.plot(
        [post.lo, post.hi],
        [level, level],
        color=ACCENT,
        linewidth=3,
        solid_capstyle="butt",
        label=f"posterior 80%: {post.lo:.2g}–{post.hi:.2g}",
    )
    ax.plot(post.p50, level, marker="o", color="white", markeredgecolor=ACCENT, markersize=5)
    ax.axvline(1.0, color=INK, linewidth=0.6)
    ax.set_xscale("log")
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(2.2 * level, peak * 1.08)
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(False)
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:g}×"))
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_xlabel("multiplier (log scale; 1× = no effect)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return fig


def horizon_days(document: ForecastDocument | dict) -> tuple[date, date]:
    """First and last day of the forecast horizon."""
    document = as_document(document)
    return document.as_of + timedelta(days=1), document.horizon_end
