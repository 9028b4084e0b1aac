"""analysis.explore and plots.explore: known answers on made-up draws, and real runs."""

from __future__ import annotations

import math
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from matplotlib.figure import Figure

from forecast import pipeline
from forecast.analysis import explore, whatif
from forecast.analysis import predictive as checks
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.errors import InputError
from forecast.io.rundir import load_run
from forecast.predict import Draws
from tests.conftest import june_dict


def fixed_draws(data, rate: float, n: int = 1, beta: np.ndarray | None = None) -> Draws:
    """``n`` identical draws with hazard ``rate`` per year where all covariates are zero."""
    k = data.history.X.shape[1]
    b = np.zeros(k) if beta is None else beta
    return Draws(
        log_rate=np.full(n, math.log(rate)),
        beta=np.tile(b, (n, 1)),
        venue_asc=np.zeros((n, len(data.dyad.alternatives))),
        venue_beta=np.zeros((n, len(data.venue_terms))),
    )


# --- posterior predictive check ---------------------------------------------------------------


def test_fixed_hazard_gives_the_poisson_expectation(june_data):
    rate = 0.3
    check = checks.predictive_check(june_data, fixed_draws(june_data, rate, n=4000), seed=1)
    total_years = june_data.history.exposure.sum()
    assert check.exposure.sum() == pytest.approx(total_years)
    # Integrated hazard per year is exactly rate x exposure, in every draw.
    np.testing.assert_allclose(check.expected, np.tile(rate * check.exposure, (4000, 1)))
    # Simulated counts: Poisson with that mean (mean and variance, within Monte Carlo error).
    per_year = check.simulated.mean(axis=0)
    se = np.sqrt(rate * check.exposure / 4000)
    assert np.all(np.abs(per_year - rate * check.exposure) < 5 * se)
    totals = check.simulated.sum(axis=1)
    assert totals.mean() == pytest.approx(rate * total_years, rel=0.05)
    assert totals.var() == pytest.approx(rate * total_years, rel=0.1)
    # The statistic "summits" counts the same simulated summits as the yearly table.
    summits = next(s for s in check.statistics if s.name == "summits")
    np.testing.assert_array_equal(summits.simulated, totals)


def test_years_exposure_and_record(june_data):
    check = checks.predictive_check(june_data, fixed_draws(june_data, 0.2, n=10), seed=0)
    assert check.years[0] == 2012 and check.years[-1] == 2025
    full = check.exposure[:-1]
    assert np.all(np.isin(np.round(full * DAYS_PER_YEAR), [365, 366]))
    assert check.exposure[-1] == pytest.approx(132 / DAYS_PER_YEAR)  # 2025-01-01..2025-05-12
    observed = dict(zip(check.years.tolist(), check.observed.tolist(), strict=True))
    assert {y for y, n in observed.items() if n} == {2019, 2023, 2024}
    assert sum(observed.values()) == 3
    stats = {s.name: s.observed for s in check.statistics}
    assert stats["summits"] == 3
    assert stats["repeat summits"] == 1  # 2024-06-19 came 9 months after 2023-09-13
    # The longest wait is from 2012-01-01 to the 2019-04-25 summit.
    days = (date(2019, 4, 25) - date(2012, 1, 1)).days + 0.5  # summits sit mid-day
    assert stats["longest wait"] == pytest.approx(days / DAYS_PER_YEAR, abs=1e-9)


def test_extreme_hazards_give_known_statistics(june_data):
    period = june_data.history.exposure.sum()
    never = checks.predictive_check(june_data, fixed_draws(june_data, 1e-9, n=50), seed=0)
    stats = {s.name: s for s in never.statistics}
    assert np.all(stats["summits"].simulated == 0)
    assert np.allclose(stats["longest wait"].simulated, period)
    assert stats["summits"].p_at_least == 0.0 and stats["summits"].p_at_most == 1.0
    often = checks.predictive_check(june_data, fixed_draws(june_data, 365.25, n=20), seed=0)
    stats = {s.name: s for s in often.statistics}
    assert np.all(stats["longest wait"].simulated < 0.1)
    assert np.all(stats["repeat summits"].simulated == stats["summits"].simulated - 1)


def test_check_is_reproducible_and_max_draws(june_data):
    draws = fixed_draws(june_data, 0.25, n=300)
    a = checks.predictive_check(june_data, draws, seed=3)
    b = checks.predictive_check(june_data, draws, seed=3)
    np.testing.assert_array_equal(a.simulated, b.simulated)
    c = checks.predictive_check(june_data, draws, seed=3, max_draws=40)
    assert c.simulated.shape == (40, len(a.years))
    assert list(a.table().index) == ["summits", "longest wait", "repeat summits"]


def test_misfit_statement_is_computed_from_the_numbers(june_data):
    bad = checks.predictive_check(june_data, fixed_draws(june_data, 0.005, n=500), seed=0)
    text = checks.misfit_statement(bad)
    assert "Where the model fits badly" in text
    assert "Kim–Putin summits in the fitted period: the record has 3, more than all but" in text
    assert "2019: a summit happened, but only" in text
    good = checks.predictive_check(june_data, fixed_draws(june_data, 0.22, n=500), seed=0)
    text = checks.misfit_statement(good)
    assert "No statistic and no summit year falls outside the central 80%" in text
    assert "The largest discrepancies:" in text


# --- hazard and effects ---------------------------------------------------------------------


def test_historical_hazard_known_answer(june_data):
    k = june_data.history.names.index("border_closure")
    beta = np.zeros(len(june_data.history.names))
    beta[k] = math.log(0.1)
    hz = explore.historical_hazard(june_data, fixed_draws(june_data, 0.5, n=3, beta=beta))
    closed = june_data.history.X[:, k] == 1
    assert closed.any() and (~closed).any()
    other = np.delete(june_data.history.X, k, axis=1)
    plain = ~closed & np.all(other == 0, axis=1)
    np.testing.assert_allclose(hz["mean"].values[closed & np.all(other == 0, axis=1)], 0.05)
    np.testing.assert_allclose(hz["mean"].values[plain], 0.5)
    np.testing.assert_allclose(hz["lo"].values, hz["hi"].values)
    assert hz.sizes["segment"] == len(june_data.history.exposure)


def test_effects_tree_is_on_the_stated_scale(tiny_run_dir):
    run = load_run(tiny_run_dir)
    data = run.model_data()
    tree = explore.effects_tree(data, run.idata)
    names = [row["name"] for row in run.document["effects"]]
    assert list(tree["posterior"].data_vars) == names == list(explore.effect_priors(data))
    post = run.idata["posterior"]
    np.testing.assert_allclose(tree["posterior"]["baseline"].values, post["log_rate"].values)
    scale = explore.effect_priors(data)["wartime_travel"][2].scale
    assert scale > 1
    np.testing.assert_allclose(
        tree["posterior"]["wartime_travel"].values,
        post["venue_beta"].sel(venue_attr="wartime_travel").values * scale,
    )
    # Its median is the one forecast.json reports.
    for row in run.document["effects"]:
        med = float(np.median(np.exp(tree["posterior"][row["name"]].values)))
        assert med == pytest.approx(row["posterior_multiplier"]["p50"], rel=1e-9)


def test_convergence_table_and_divergences(tiny_run_dir):
    run = load_run(tiny_run_dir)
    table = explore.convergence_table(run.idata)
    assert len(table) == 16
    assert list(table.columns) == ["mean", "sd", "ess_bulk", "ess_tail", "r_hat", "problem"]
    for _, row in table.iterrows():
        low_ess = min(row["ess_bulk"], row["ess_tail"]) < 400
        assert ("ESS < 400" in row["problem"]) == low_ess
        assert ("R-hat" in row["problem"]) == (row["r_hat"] > 1.01)
    div = explore.divergences(run.idata)
    assert list(div.index) == [0, 1]
    assert int(div.sum()) == run.document["diagnostics"]["divergences"]


# --- settings and runs ------------------------------------------------------------------------


def test_settings_from_env(tmp_path, monkeypatch):
    default = explore.settings_from_env({})
    assert default.run_dir.name == "june-anniversary" and default.run_dir.parent.name == "reports"
    assert default.scenario.is_file()
    monkeypatch.chdir(tmp_path)
    s = explore.settings_from_env(
        {"SUMMIT_RUN_DIR": "runs/x", "SUMMIT_DRAWS": " 50 ", "SUMMIT_SEED": "0"}
    )
    assert s.run_dir == tmp_path / "runs" / "x"
    assert (s.draws, s.tune, s.chains, s.seed) == (50, 500, 2, 0)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SUMMIT_DRAWS", "many", "expected a positive integer, got 'many'"),
        ("SUMMIT_CHAINS", "0", "expected a positive integer, got '0'"),
        ("SUMMIT_SEED", "-1", "expected a non-negative integer, got '-1'"),
    ],
)
def test_settings_from_env_errors(name, value, expected):
    with pytest.raises(InputError) as err:
        explore.settings_from_env({name: value})
    assert str(err.value) == f"environment: {name}: {expected}"


def test_ensure_run_loads_without_sampling_and_never_overwrites(tiny_run_dir, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run_dir)
    before = (run_dir / "forecast.json").stat().st_mtime_ns
    saved = pipeline.ensure_run(explore.ExploreSettings(run_dir=run_dir))
    assert saved.path == run_dir and (run_dir / "forecast.json").stat().st_mtime_ns == before
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="forecast.json: missing"):
        pipeline.ensure_run(explore.ExploreSettings(run_dir=broken))
    assert sorted(p.name for p in broken.iterdir()) == ["notes.txt"]


# --- what if --------------------------------------------------------------------------------


def test_scenario_changes_edit_plain_data(june):
    raw = june_dict()
    whatif.indicator_range("treaty_anniversary", (1, 3), confidence=0.6).apply(raw)
    item = next(i for i in raw["indicators"] if i["id"] == "treaty_anniversary")
    assert item["multiplier"] == [1, 3] and item["confidence"] == 0.6
    whatif.indicator_range("kim_to_russia", (1.2, 2)).apply(raw)  # a venue judgment
    assert raw["venues"]["judgments"][0]["multiplier"] == [1.2, 2]
    change = whatif.opposite_ceasefire(june)
    change.apply(raw)
    assert raw["ceasefire"] == {"assumption": "ceasefire", "start": "2025-05-13"}
    whatif.ceasefire("war_continues").apply(raw)
    assert raw["ceasefire"] == {"assumption": "war_continues"}
    doubted = whatif.doubt(june, "treaty_anniversary")
    assert doubted.description == "treaty_anniversary: multiplier 0.577–1.732, 80% sure"
    with pytest.raises(InputError, match="no indicator or venue judgment 'nope'"):
        whatif.indicator_range("nope", (1, 2)).apply(june_dict())
    with pytest.raises(InputError, match="expected one of treaty_anniversary"):
        whatif.doubt(june, "nope")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            whatif.indicator_range("nope", (1, 2)),
            r"\(what-if: nope: multiplier 1–2\): indicators: no indicator or venue judgment",
        ),
        (
            whatif.indicator_range("treaty_anniversary", (3, 2)),
            r"indicators -> 0 -> multiplier: expected \[low, high\] with low < high",
        ),
        (whatif.ceasefire("ceasefire"), r"ceasefire: expected a 'start' date"),
    ],
)
def test_bad_what_if_fails_before_sampling_and_writes_nothing(
    tiny_run_dir, tmp_path, change, message
):
    run = load_run(tiny_run_dir)
    out = tmp_path / "out"
    with pytest.raises(InputError, match=message) as err:
        pipeline.what_if(run, change, out_dir=out)
    assert str(run.scenario_path) in str(err.value)
    assert not out.exists()


@pytest.mark.slow
def test_what_if_reforecasts_with_the_same_settings(tiny_run_dir, tmp_path):
    run = load_run(tiny_run_dir)
    result = pipeline.what_if(
        run, whatif.doubt(run.scenario, "treaty_anniversary"), out_dir=tmp_path
    )
    assert result.old is run.document and result.old_dir == run.path
    assert result.sampler == {k: run.document["sampler"][k] for k in result.sampler}
    assert load_run(result.new_dir).document == result.new
    assert "what-if: treaty_anniversary" in (result.new_dir / "scenario.yaml").read_text()
    table = result.table()
    assert len(table) == 1 + len(run.document["windows"]) + 5
    window = f"window: {run.document['windows'][0]['name']}"
    # Doubting the anniversary effect lowers the anniversary window's probability.
    assert table.loc[window, "new p"] < table.loc[window, "old p"]
    assert table.loc[window, "change (points)"] == pytest.approx(
        100 * (table.loc[window, "new p"] - table.loc[window, "old p"])
    )
    from forecast.plots.explore import plot_what_if

    fig = plot_what_if(result)
    assert all(ax.get_xlabel() and ax.get_ylabel() for ax in fig.axes[:1])
    assert fig.axes[1].get_xlabel()


# --- plots ----------------------------------------------------------------------------------


def _labelled(fig: Figure) -> bool:
    axes = [ax for ax in fig.axes if ax.get_visible() and ax.axison]
    return bool(axes) and all(ax.get_xlabel() and ax.get_ylabel() for ax in axes)


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
    assert len(effect_axes) == 16
    assert len([ax for ax in figures["ranks"].axes if ax.axison]) == 9
