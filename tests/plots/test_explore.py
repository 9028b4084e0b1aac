"""plots.explore: every notebook figure is a labelled matplotlib Figure, drawn from a run."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.figure import Figure

from forecast.analysis import explore
from forecast.analysis import predictive as checks
from forecast.io.rundir import load_run


def _labelled(fig: Figure) -> bool:
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    return bool(axes) and all(ax.get_xlabel() and ax.get_ylabel() for ax in axes)


@pytest.mark.slow  # heavy (no sampling): in CI with the slow tier
def test_plots_return_labelled_figures(tiny_run_dir, tmp_path):
    from forecast.plots import explore as pe

    run = load_run(tiny_run_dir)
    data = run.model_data()
    draws = explore.posterior_draws(run)
    check = checks.predictive_check(data, draws, seed=0)
    figures = {
        "effects": pe.plot_effects(data, run.idata),
        "ranks": pe.plot_ranks(run.idata, var_names=["log_rate", "beta"]),
        "years": pe.plot_check_years(check),
        "statistics": pe.plot_check_statistics(check),
        "hazard": pe.plot_hazard(data, explore.historical_hazard(data, draws)),
    }
    for name, fig in figures.items():
        assert isinstance(fig, Figure), name
        assert _labelled(fig), name
        fig.savefig(Path(tmp_path) / f"{name}.png")
    effect_axes = [ax for ax in figures["effects"].axes if ax.axison]
    n_effects = 1 + len(data.timing_terms) + len(data.dyad.alternatives) + len(data.venue_terms)
    assert len(effect_axes) == n_effects
    assert len([ax for ax in figures["ranks"].axes if ax.axison]) == 1 + len(data.term_names)


def test_the_signal_figures_are_labelled_and_refuse_a_run_without_signals(
    signals_as_of, june_data, fixed_draws
):
    """The news-and-signals figures of the notebook (no sampling: q and q_f from fixed draws)."""
    import numpy as np
    import xarray as xr

    from forecast.plots import explore as pe

    data = signals_as_of("2024-06-17")
    rng = np.random.default_rng(0)
    groups = {
        g: xr.Dataset(
            {
                p: (("chain", "draw"), rng.normal(m, 0.5, size=(2, 200)))
                for p, m in (("announce_logit", 1.9), ("framed_logit", 0.0))
            }
        )
        for g in ("prior", "posterior")
    }
    idata = xr.DataTree.from_dict(groups)
    claims = pe.plot_claims(data, idata)
    episodes = pe.plot_signal_episodes(explore.signal_episodes(data))
    news = pe.plot_news_to_come(explore.news_to_come(data, fixed_draws(data, rate=0.5)))
    for fig in (claims, episodes, news):
        assert isinstance(fig, Figure)
    left, right = [a for a in news.axes if a.axison]
    assert left.get_ylabel() == "hazard multiplier G_h"
    assert [t.get_text() for t in right.get_legend().get_texts()] == ["2019-04-25", "2023-09-13"]
    assert _labelled(claims)
    (ax,) = [a for a in episodes.axes if a.axison]
    assert ax.get_xlabel().startswith("days before the meeting")
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[2] == "vladivostok-2019: met 2019-04-25" and labels[-1] == "pyongyang-2024: open"
    with pytest.raises(ValueError, match="no signal terms"):
        pe.plot_claims(june_data, idata)
