"""Figures of the simulation checks: free functions returning the matplotlib Figure."""

from __future__ import annotations

import xarray as xr
from matplotlib.figure import Figure

from forecast.validation.sbc import SBCResult


def plot_sbc_ecdf(result: SBCResult) -> Figure:
    """ECDF-difference plot of the SBC ranks, one panel per scalar parameter.

    Each line is the empirical CDF of the parameter's PIT values (normalised ranks) minus the
    uniform CDF; under calibration it stays near zero. Points that contribute most to a
    departure from uniformity are highlighted in panels that fail (ArviZ's
    :func:`arviz_plots.plot_ecdf_pit`), and each panel carries its ``pot_c`` p-value.

    Parameters
    ----------
    result : SBCResult
        The output of :func:`forecast.validation.sbc.run_sbc`.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from arviz_plots import plot_ecdf_pit

    tree = xr.DataTree.from_dict({"prior_sbc": result.pit})
    pc = plot_ecdf_pit(
        tree,
        group="prior_sbc",
        sample_dims=["simulation"],
        envelope_prob=1 - result.threshold,
        backend="matplotlib",
        visuals={"p_value_text": False},
        col_wrap=5,
        figure_kwargs={"figsize": (15, 12), "layout": "constrained"},
    )
    fig = pc.viz["figure"].item()
    for ax in fig.axes:
        # panel titles are "name" or "name\ncoordinate"
        parts = ax.get_title().split("\n")
        label = parts[0] if len(parts) == 1 else f"{parts[0]}[{parts[1]}]"
        if label in result.p_values:
            failed = label in result.failed
            ax.text(
                0.03,
                0.92,
                f"p = {result.p_values[label]:.3f}" + ("  FAIL" if failed else ""),
                transform=ax.transAxes,
                color="C3" if failed else "0.2",
            )
    fig.suptitle(
        f"Prior SBC: ECDF of normalised ranks minus uniform ({result.sims} simulations, "
        f"{result.max_rank} kept draws per fit)\npot_c p-values; a parameter fails if "
        f"p < {result.threshold:.4f} (family-wise {result.alpha:g}, Bonferroni)"
    )
    return fig
