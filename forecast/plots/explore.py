"""Free plotting functions for exploring a run (the notebook's own figures).

Each returns the Matplotlib :class:`~matplotlib.figure.Figure` it drew on and uses the
package's one style (:func:`forecast.plots.style.styled`). The prior-versus-posterior and
rank plots are ArviZ's (arviz-plots), with the analysts' ranges and axis labels added.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import numpy as np
import pandas as pd
import xarray as xr
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from forecast.analysis.explore import CLAIMS, claim_priors, claims_tree, effect_priors, effects_tree
from forecast.analysis.predictive import PredictiveCheck
from forecast.analysis.whatif import WhatIf
from forecast.design.prepare import ModelData
from forecast.plots.style import ACCENT, INK, LIGHT, MUTED, WIDTH, percent_label, styled

NICE_MULTIPLIERS = (0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100)
RANK_SIZE = {"L": 60, "M1": 30, "M2": 14, "M3": 7}


def _multiplier_ticks(ax: Axes, rate: bool = False) -> None:
    """Label a log-multiplier axis with round multipliers (``2×``) or rates."""
    lo, hi = ax.get_xlim()
    ticks = [m for m in NICE_MULTIPLIERS if lo <= math.log(m) <= hi]
    while len(ticks) > 5:  # keep 1 (no effect) and every other round value around it
        keep = ticks.index(1) % 2 if 1 in ticks else 0
        ticks = ticks[keep::2]
    if len(ticks) < 2:
        ticks = [math.exp(lo + (hi - lo) * f) for f in (0.2, 0.5, 0.8)]
    ax.set_xticks(
        [math.log(m) for m in ticks], [f"{m:.3g}" if rate else f"{m:.3g}×" for m in ticks]
    )


def _figure(pc) -> Figure:
    """The figure of an arviz-plots PlotCollection, released from pyplot's figure manager so
    it behaves like the package's other figures (shown only when displayed or saved)."""
    import matplotlib.pyplot as plt

    fig = pc.viz["figure"].item()
    plt.close(fig)
    return fig


@styled
def plot_effects(data: ModelData, idata: xr.DataTree, names: list[str] | None = None) -> Figure:
    """Prior versus posterior of each effect (arviz-plots KDEs) with the stated ranges marked.

    The x axis is the log multiplier, labelled in multipliers. The analysts' stated range is
    hatched; a documented default range (no analyst statement) is shaded grey.

    Parameters
    ----------
    data
        The run's model inputs.
    idata
        The run's ``DataTree`` with ``prior`` and ``posterior`` groups.
    names
        Effects to show (names as in :func:`forecast.analysis.explore.effect_priors`); all if None.
    """
    import arviz_plots as azp

    priors = effect_priors(data)
    names = list(priors) if names is None else names
    cols = min(4, len(names))
    rows = math.ceil(len(names) / cols)
    pc = azp.plot_prior_posterior(
        effects_tree(data, idata),
        var_names=names,
        backend="matplotlib",
        col_wrap=cols,
        figure_kwargs={"figsize": (2.9 * cols, 2.3 * rows + 0.4), "layout": "constrained"},
    )
    for name in names:
        ax = pc.get_target(name, {})
        prior = priors[name][2]
        low, high = math.log(prior.low), math.log(prior.high)
        if prior.origin == "stated":
            ax.axvspan(low, high, facecolor="none", edgecolor=ACCENT, hatch="///", linewidth=0)
        else:
            ax.axvspan(low, high, facecolor=LIGHT, edgecolor="none")
        ax.axvline(0.0, color=INK, linewidth=0.5, linestyle=":")
        ax.set_title(
            f"{name}\n{prior.origin} {prior.low:g}–{prior.high:g}, "
            f"{100 * prior.confidence:.0f}% sure",
            fontsize=8,
        )
        rate = name == "baseline"
        _multiplier_ticks(ax, rate)
        ax.set_xlabel("summits per year" if rate else "multiplier (log scale)")
        ax.set_ylabel("density")
    fig = _figure(pc)
    fig.legend(
        handles=[
            mpl.patches.Patch(
                facecolor="none", edgecolor=ACCENT, hatch="///", label="stated range"
            ),
            mpl.patches.Patch(facecolor=LIGHT, label="default range (no statement)"),
        ],
        loc="outside lower center",
        ncols=2,
    )
    return fig


@styled
def plot_ranks(idata: xr.DataTree, var_names: list[str] | None = None) -> Figure:
    """ArviZ's fractional-rank Δ-ECDF plot per parameter, one line per chain.

    Lines inside the band (and near zero) mean the chains sample the same distribution.
    """
    import arviz_plots as azp

    from forecast.model.build import PARAMETERS

    post = idata["posterior"]
    names = [v for v in PARAMETERS if v in post] if var_names is None else var_names
    n = sum(int(np.prod([post[v].sizes[d] for d in post[v].dims[2:]])) for v in names)
    cols = min(4, n)
    rows = math.ceil(n / cols)
    pc = azp.plot_rank(
        idata,
        var_names=names,
        backend="matplotlib",
        col_wrap=cols,
        visuals={"remove_axis": False},
        figure_kwargs={"figsize": (2.9 * cols, 2.0 * rows + 0.3), "layout": "constrained"},
    )
    fig = _figure(pc)
    for ax in fig.axes:
        if ax.get_visible() and ax.axison:
            ax.set_ylabel("ECDF − uniform", fontsize=7)
            ax.set_xlabel("fractional rank", fontsize=7)
            for text in ax.texts:
                text.set_fontsize(6.5)
            ax.title.set_fontsize(7.5)
    chains = post.sizes["chain"]
    colors = [line.get_color() for line in fig.axes[0].get_lines()[:chains]]
    fig.legend(
        handles=[
            mpl.lines.Line2D([], [], color=c, label=f"chain {i}") for i, c in enumerate(colors)
        ],
        loc="outside lower center",
        ncols=chains,
    )
    return fig


@styled
def plot_check_years(check: PredictiveCheck, ax: Axes | None = None) -> Figure:
    """Summits per calendar year: the record against the posterior predictive.

    Bars are the expected number (posterior mean of the integrated hazard) with its 80%
    interval; dots are the record; the label above each year is the share of simulations with
    at least one summit that year.
    """
    fig, ax = _axes(ax, 3.0)
    x = check.years
    mean = check.expected.mean(axis=0)
    lo, hi = np.quantile(check.expected, (0.1, 0.9), axis=0)
    ax.bar(
        x,
        mean,
        width=0.7,
        color=LIGHT,
        edgecolor=ACCENT,
        linewidth=0.8,
        label="expected (posterior mean)",
    )
    ax.errorbar(
        x,
        mean,
        yerr=[np.maximum(mean - lo, 0), np.maximum(hi - mean, 0)],  # a skewed mean may lie outside
        fmt="none",
        ecolor=INK,
        elinewidth=0.9,
        capsize=2.5,
        label="80% interval of the expectation",
    )
    ax.scatter(x, check.observed, marker="o", s=36, color=INK, zorder=4, label="record")
    p_any = check.p_any()
    for xi, p, h, o in zip(x, p_any, hi, check.observed, strict=True):
        ax.annotate(
            f"{100 * p:.0f}%",
            (xi, max(h, o)),
            xytext=(0, 5),
            textcoords="offset points",
            ha="center",
            fontsize=6.5,
            color=MUTED,
        )
    top = max(float(hi.max()), float(check.observed.max()), 0.5) * 1.45
    ax.set_ylim(0, top)
    partial = check.exposure < 0.999
    labels = [f"{y}*" if part else str(y) for y, part in zip(x, partial, strict=True)]
    ax.set_xticks(x, labels)
    note = f"; * part year, to {check.end}" if partial[-1] else ""
    ax.set_xlabel(f"calendar year (grey %: simulations with ≥1 summit that year{note})")
    ax.set_ylabel(f"{check.pair} summits in the year")
    ax.legend(loc="upper left", ncols=3, fontsize=7)
    return fig


@styled
def plot_check_statistics(check: PredictiveCheck) -> Figure:
    """Histograms of simulated summary statistics, with the record's value marked."""
    stats = check.statistics
    fig = Figure(figsize=(WIDTH + 2, 2.6), layout="constrained")
    axes = fig.subplots(1, len(stats))
    for ax, s in zip(np.atleast_1d(axes), stats, strict=True):
        sim = s.simulated
        if np.allclose(sim, np.round(sim)):
            edges = np.arange(sim.min() - 0.5, max(sim.max(), s.observed) + 1.5)
        else:
            edges = np.linspace(min(sim.min(), s.observed), max(sim.max(), s.observed), 30)
        ax.hist(
            sim,
            bins=edges,
            density=True,
            color=LIGHT,
            edgecolor=ACCENT,
            linewidth=0.6,
            label="simulated",
        )
        ax.axvline(s.observed, color=INK, linewidth=1.6, label="record")
        ax.set_title(
            f"{s.name}\nP(sim ≥ rec) {s.p_at_least:.2f}, P(sim ≤ rec) {s.p_at_most:.2f}",
            fontsize=7.5,
        )
        ax.set_xlabel(s.description if len(s.description) < 45 else s.name + " (years)", fontsize=7)
        ax.set_ylabel("share of simulations")
    np.atleast_1d(axes)[0].legend(loc="upper right")
    return fig


@styled
def plot_hazard(data: ModelData, hazard: xr.Dataset, ax: Axes | None = None) -> Figure:
    """The fitted hazard over the historical period, with summits, exchanges and periods.

    Parameters
    ----------
    data
        The run's model inputs (for the record).
    hazard
        :func:`forecast.analysis.explore.historical_hazard` of the run.
    ax
        Axes to draw on; a new wide figure when omitted.
    """
    fig, ax = _axes(ax, 3.6, WIDTH + 2.5)
    start = hazard["start"].values.astype("datetime64[D]")
    end = hazard["end"].values.astype("datetime64[D]") + np.timedelta64(1, "D")
    edges = np.concatenate([start, end[-1:]])
    x = mpl.dates.date2num(edges)
    ax.stairs(
        hazard["hi"].values,
        x,
        baseline=hazard["lo"].values,
        fill=True,
        color=LIGHT,
        label=f"{100 * hazard.attrs['interval']:.0f}% interval",
    )
    ax.stairs(hazard["mean"].values, x, color=ACCENT, linewidth=1.0, label="posterior mean hazard")
    ax.set_yscale("log")
    lo_y = max(float(hazard["lo"].min()) * 0.5, 1e-4)
    hi_y = float(hazard["hi"].max()) * 3
    ax.set_ylim(lo_y, hi_y)

    first, last = edges[0], edges[-1]
    for state, hatch in (("war", "\\\\"), ("border_closure", "..")):
        period = data.record.period(state)
        if period is None:
            continue
        a = max(np.datetime64(period.start, "D"), first)
        b = min(np.datetime64(period.end, "D") if period.end else last, last)
        if a < b:
            ax.axvspan(
                a,
                b,
                facecolor="none",
                edgecolor=MUTED,
                hatch=hatch,
                linewidth=0,
                label=state.replace("_", " "),
                zorder=0,
            )

    rug = lo_y * 1.5
    for rank, size in RANK_SIZE.items():
        days = [
            np.datetime64(x.start, "D")
            for x in data.record.exchanges
            if x.rank == rank and first <= np.datetime64(x.start, "D") < last
        ]
        if days:
            ax.scatter(
                days,
                [rug] * len(days),
                s=size,
                marker="|",
                color=INK,
                linewidths=1.0,
                label=f"exchange, rank {rank}",
            )
    kp = [s for s in data.record.events if first <= np.datetime64(s.date, "D") < last]
    for k, s in enumerate(kp):
        day = np.datetime64(s.date, "D")
        ax.axvline(
            day,
            color="#b2182b",
            linewidth=1.3,
            label=f"{data.dyad.pair_short} summit" if k == 0 else None,
        )
        ax.annotate(
            f"{s.date:%Y-%m-%d}\n{data.dyad.venue_label(s.venue_class)}",
            (day, hi_y),
            xytext=(3, -3 - 20 * (k % 2)),
            textcoords="offset points",
            va="top",
            fontsize=6.5,
            color="#b2182b",
        )
    ax.set_xlim(first, last)
    ax.set_xlabel("date")
    ax.set_ylabel("summit hazard (per year, log scale)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return fig


@styled
def plot_claims(data: ModelData, idata: xr.DataTree) -> Figure:
    """Prior versus posterior of ``q`` (an official announcement with dates is kept) and
    ``q_f`` (a time-framed signal is borne out), as probabilities (arviz-plots KDEs), each
    prior's stated range shaded.

    Parameters
    ----------
    data
        The run's model inputs (with the signal terms on).
    idata
        The run's ``DataTree`` with ``prior`` and ``posterior`` groups.

    Raises
    ------
    ValueError
        For a run without the signal terms (no ``q`` or ``q_f`` to show).
    """
    import arviz_plots as azp

    tree = claims_tree(data, idata)
    if tree is None:
        raise ValueError("this run has no signal terms: no q or q_f to show")
    priors = claim_priors(data)
    pc = azp.plot_prior_posterior(
        tree,
        var_names=list(CLAIMS),
        backend="matplotlib",
        col_wrap=2,
        figure_kwargs={"figsize": (WIDTH + 1.5, 2.8), "layout": "constrained"},
    )
    for name, (_, meaning) in CLAIMS.items():
        ax = pc.get_target(name, {})
        prior = priors[name]
        ax.axvspan(prior.low, prior.high, facecolor=LIGHT, edgecolor="none")
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
        ax.set_title(
            f"{name}: {meaning}\n{prior.origin} {prior.low:g}–{prior.high:g}, "
            f"{100 * prior.confidence:.0f}% sure",
            fontsize=8,
        )
        ax.set_xlabel("probability")
        ax.set_ylabel("density")
    fig = _figure(pc)
    fig.legend(
        handles=[mpl.patches.Patch(facecolor=LIGHT, label="prior's stated range")],
        loc="outside lower center",
    )
    return fig


@styled
def plot_news_to_come(table: pd.DataFrame) -> Figure:
    """The news still to come by lag (docs/model.md §3.5): left, the horizon's hazard
    multiplier ``G_h`` with its 80% interval; right, the part of each of the record's meetings
    that news made fewer than ``h`` days before it explains (posterior means). Both on a log
    axis of days after ``as_of``.

    Parameters
    ----------
    table
        :func:`forecast.analysis.explore.news_to_come`'s table.
    """
    fig = Figure(figsize=(WIDTH + 1.5, 3.0), layout="constrained")
    left, right = fig.subplots(1, 2)
    lag = table["lag_days"].to_numpy()
    left.fill_between(lag, table["G_lo"], table["G_hi"], step="post", color=LIGHT, label="80%")
    left.step(lag, table["G"], where="post", color=INK, label="posterior mean")
    left.set_ylabel("hazard multiplier G_h")
    left.set_title("the news to come multiplies the hazard by", fontsize=8)
    left.legend(fontsize=7, frameon=False)
    for name in [c for c in table.columns if c.startswith("share ")]:
        right.step(lag, table[name], where="post", label=name.removeprefix("share "))
    right.set_ylim(-0.02, 1.02)
    right.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
    right.set_ylabel("part of the meeting explained")
    right.set_title("each meeting, by news of fewer than h days", fontsize=8)
    right.legend(fontsize=7, frameon=False, title="meeting", title_fontsize=7)
    ticks = [t for t in (1, 2, 3, 7, 14, 30, 90, 365) if t <= lag.max()]
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_xticks(ticks, [str(t) for t in ticks])
        ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
        ax.set_xlabel("h, days after the as-of date")
    return fig


#: Marker and colour of each signal kind in :func:`plot_signal_episodes` (a colour-blind safe
#: qualitative palette, Okabe and Ito's).
KIND_MARKERS = {
    "official_announcement_with_dates": ("*", "#000000"),
    "official_confirmation_without_dates": ("o", "#0072B2"),
    "official_invitation": ("s", "#56B4E9"),
    "media_report_citing_sources": ("^", "#E69F00"),
    "intelligence_assessment": ("D", "#CC79A7"),
    "preparation_observed": ("P", "#009E73"),
    "official_denial_or_no_plans": ("v", "#D55E00"),
    "cancellation": ("X", "#D55E00"),
}


@styled
def plot_signal_episodes(episodes: pd.DataFrame, ax: Axes | None = None) -> Figure:
    """The record's signal episodes on one axis of lead time: each episode a row, each signal
    a marker (its kind's shape; hollow if against a meeting) at the days from it to the meeting
    that followed, or to the episode's last signal when none did or none has yet (an ``open``
    episode; log scale, far left = long before). Signals after the meeting of their episode are
    not drawn; the row says how many.

    Parameters
    ----------
    episodes
        :func:`forecast.analysis.explore.signal_episodes`'s table.
    ax
        The axes to draw on (a new figure if None).
    """
    names = list(dict.fromkeys(episodes["episode"]))
    fig, ax = _axes(ax, 0.45 * len(names) + 1.6)
    seen: set[str] = set()
    labels = []
    for y, name in enumerate(names):
        rows = episodes[episodes["episode"] == name]
        meeting, status = rows["meeting"].iloc[0], rows["status"].iloc[0]
        before = rows[rows["days_before"] >= 0]
        after = len(rows) - len(before)
        label = f"{name}: " + (f"met {meeting}" if status == "met" else status)
        labels.append(label + (f" ({after} later not shown)" if after else ""))
        ax.axhline(y, color=MUTED, linewidth=0.4, zorder=0)
        for kind, (marker, color) in KIND_MARKERS.items():
            for stance, fill in (("for", color), ("against", "none")):
                sel = before[(before["kind"] == kind) & (before["stance"] == stance)]
                if sel.empty:
                    continue
                key = f"{kind.replace('_', ' ')}" + (" (against)" if stance == "against" else "")
                ax.scatter(
                    sel["days_before"] + 1,
                    np.full(len(sel), y),
                    marker=marker,
                    s=70 if marker == "*" else 42,
                    facecolors=fill,
                    edgecolors=color,
                    linewidths=1.0,
                    alpha=0.85,
                    label=None if key in seen else key,
                    zorder=3,
                )
                seen.add(key)
    ax.set_xscale("log")
    ax.invert_xaxis()
    ticks = [1, 2, 4, 8, 15, 31, 61, 121, 366]
    ax.set_xticks(ticks, [str(t - 1) for t in ticks])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_yticks(range(len(names)), labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xlabel("days before the meeting (or before the episode's last signal, if none came)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, frameon=False)
    return fig


@styled
def plot_what_if(result: WhatIf) -> Figure:
    """Old and new forecast side by side: the cumulative probability and the venues."""
    old, new = result.old, result.new
    fig = Figure(figsize=(WIDTH + 2.5, 3.0), layout="constrained")
    ax_c, ax_v = fig.subplots(1, 2, width_ratios=[1.6, 1])
    for doc, label, style, color in (
        (old, "as stated", "-", ACCENT),
        (new, f"what if: {result.change.description}", "--", "#b2182b"),
    ):
        days = np.array([np.datetime64(r.date) for r in doc.by_date])
        p, lo, hi = (np.array([getattr(r, k) for r in doc.by_date]) for k in ("p", "lo", "hi"))
        ax_c.fill_between(days, lo, hi, color=color, alpha=0.12, linewidth=0)
        ax_c.plot(days, p, linestyle=style, color=color, linewidth=1.6, label=label)
    ax_c.set_ylim(0, None)
    ax_c.yaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
    ax_c.set_xlabel("date")
    ax_c.set_ylabel("P(next summit by date)")
    locator = mpl.dates.AutoDateLocator(minticks=4, maxticks=8)
    ax_c.xaxis.set_major_locator(locator)
    ax_c.xaxis.set_major_formatter(mpl.dates.ConciseDateFormatter(locator, show_offset=False))
    ax_c.legend(loc="upper left", fontsize=7)

    venues = list(old.venue_labels)
    y = np.arange(len(venues))
    for shift, doc, color, hatch, label in (
        (-0.2, old, ACCENT, "", "as stated"),
        (0.2, new, "#b2182b", "///", "what if"),
    ):
        rows = {v.venue: v for v in doc.venues}
        p = np.array([rows[v].p for v in venues])
        err = np.array(
            [
                [rows[v].p - rows[v].lo for v in venues],
                [rows[v].hi - rows[v].p for v in venues],
            ]
        )
        ax_v.barh(
            y + shift, p, height=0.38, color="white", edgecolor=color, hatch=hatch, label=label
        )
        ax_v.errorbar(
            p,
            y + shift,
            xerr=np.clip(err, 0, None),
            fmt="none",
            ecolor=INK,
            elinewidth=0.8,
            capsize=2,
        )
    ax_v.set_yticks(y, [old.venue_labels[v] for v in venues])
    ax_v.invert_yaxis()
    ax_v.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: percent_label(v)))
    ax_v.set_xlabel("P(venue | summit within the horizon)")
    ax_v.grid(axis="x")
    ax_v.legend(loc="lower right", fontsize=7)
    return fig


def _axes(ax: Axes | None, height: float, width: float = WIDTH + 1.5) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()
