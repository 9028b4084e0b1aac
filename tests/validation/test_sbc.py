"""Simulation-based calibration: the machinery (fast) and the real check (slow, 100 fits)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
import xarray as xr

from forecast.cli.main import main
from forecast.validation.sbc import SBCResult, relabel, run_sbc, uniformity_p_values

COVS = ["a", "b", "c"]


def _ranks(rng, sims: int, max_rank: int, skew: bool) -> xr.Dataset:
    draw = (lambda n: rng.beta(3, 1, n)) if skew else (lambda n: rng.uniform(size=n))
    return xr.Dataset(
        {
            "log_rate": ("simulation", np.floor(draw(sims) * (max_rank + 1))),
            "beta": (
                ("simulation", "covariate"),
                np.floor(draw(sims * 3).reshape(sims, 3) * (max_rank + 1)),
            ),
        },
        coords={"covariate": COVS},
    )


def _fake_result(skew: bool = False, sims: int = 100, max_rank: int = 200) -> SBCResult:
    rng = np.random.default_rng(4)
    ranks = _ranks(rng, sims, max_rank, skew)
    pit = (ranks + 0.5) / (max_rank + 1)
    return SBCResult(
        ranks=ranks,
        max_rank=max_rank,
        pit=pit,
        p_values=uniformity_p_values(pit),
        alpha=0.05,
        sims=sims,
        seed=1,
        settings={
            "sampler": "numpyro's NUTS (JAX), compiled once, data swapped per simulation",
            "draws": 400,
            "tune": 300,
            "chains": 2,
            "thin": 4,
            "segments": 10,
            "venue_observations": 3,
            "history": ["2012-01-01", "2026-02-26"],
        },
        seconds={"compile_model_once": 1.0, "simulate_and_fit": 2.0},
        divergences=0,
    )


def test_uniformity_test_passes_uniform_ranks_and_fails_skewed_ones():
    ok, bad = _fake_result(skew=False), _fake_result(skew=True)
    assert list(ok.p_values) == ["log_rate", "beta[a]", "beta[b]", "beta[c]"]
    assert ok.threshold == pytest.approx(0.05 / 4)
    assert ok.failed == []
    assert set(bad.failed) == set(bad.p_values)
    assert max(bad.p_values.values()) < 1e-4


@pytest.mark.parametrize("offset", [0.0, 1.0])
def test_simuk_uses_the_plugged_in_fit(offset):
    # A conjugate normal model whose exact posterior is drawn directly: with the right posterior
    # simuk's ranks are uniform, with a posterior shifted by one sd they are not.
    import pymc as pm

    from forecast.validation.sbc import simuk_sbc

    with pm.Model() as model:
        y = pm.Data("y", np.zeros(4))
        mu = pm.Normal("mu", 0.0, 1.0)
        pm.Normal("obs", mu, 1.0, observed=y)
    calls = []

    def exact(replicated, seed):
        calls.append(seed)
        obs = replicated["obs"]
        var = 1 / (1 + len(obs))
        rng = np.random.default_rng(seed)
        draws = rng.normal(var * obs.sum() + offset * np.sqrt(var), np.sqrt(var), 99)
        return xr.Dataset({"mu": ("sample", draws)})

    sbc = simuk_sbc(model, exact, num_simulations=200, seed=3, progress_bar=False)
    sbc.run_simulations()
    assert len(calls) == 200
    ranks = sbc.simulations["prior_sbc"]["mu"].values.ravel()
    jitter = np.random.default_rng(0).uniform(size=ranks.shape)
    pit = xr.Dataset({"mu": ("simulation", (ranks + jitter) / 100)})
    p = uniformity_p_values(pit)["mu"]
    assert (p > 0.01) if offset == 0 else (p < 1e-6), p


def test_whole_array_ranks_are_simuks_draw_by_draw_ranks(monkeypatch):
    """The plugged-in SBC ranks a fit by one comparison of the whole draws array, without
    simuk's draw-by-draw method; simuk's method gives the same ranks (ties and a vector
    parameter included), and it still ranks when a transform other than its identity is set."""
    import pymc as pm
    import simuk

    from forecast.validation.sbc import simuk_sbc

    with pm.Model(coords={"k": ["a", "b", "c"]}) as model:
        y = pm.Data("y", np.zeros(4))
        mu = pm.Normal("mu", 0.0, 1.0)
        pm.Normal("v", 0.0, 1.0, dims="k")
        pm.Normal("obs", mu, 1.0, observed=y)

    def fit(replicated, seed):
        rng = np.random.default_rng(seed)
        draws = np.round(rng.normal(size=(50, 3)), 1)  # rounded: tied draws
        return xr.Dataset({"mu": ("sample", draws[:, 0]), "v": (("sample", "k"), draws)})

    theirs = simuk_sbc(model, fit, num_simulations=30, seed=4, progress_bar=False)
    theirs._identity = None  # as if a transform were set: simuk's own method ranks
    theirs.run_simulations()
    ours = simuk_sbc(model, fit, num_simulations=30, seed=4, progress_bar=False)

    def refuse(*args):
        raise AssertionError("simuk's draw-by-draw ranking was called")

    monkeypatch.setattr(simuk.SBC, "_compute_single_rank", refuse)
    ours.run_simulations()
    for name in ("mu", "v"):
        got = ours.simulations["prior_sbc"][name].values
        np.testing.assert_array_equal(got, theirs.simulations["prior_sbc"][name].values)
        assert got.shape[1] == 30


def test_simuk_ranks_are_relabelled_with_the_model_coordinates(june_data):
    from forecast.model.build import build_model

    model = build_model(june_data)
    k = len(june_data.timing_terms)
    raw = xr.Dataset(
        {
            "log_rate": (("chain", "draw"), np.zeros((1, 5), dtype=int)),
            "beta": (("chain", "draw", "beta_dim_0"), np.ones((1, 5, k), dtype=int)),
        }
    )
    ranks = relabel(raw, model)
    assert ranks["log_rate"].dims == ("simulation",)
    assert ranks["beta"].dims == ("simulation", "covariate")
    assert list(ranks["covariate"].values) == june_data.term_names


def test_observed_variables_are_found_behind_their_data(june_data):
    from forecast.model.build import build_model
    from forecast.model.compiled import observed_data_names

    names = observed_data_names(build_model(june_data))
    assert names == {"summit_counts": "events", "venue_obs": "venue_choice"}


def test_ecdf_figure_has_a_panel_per_parameter():
    from matplotlib.figure import Figure

    from forecast.plots.validation import plot_sbc_ecdf

    result = _fake_result(skew=True)
    fig = plot_sbc_ecdf(result)
    assert isinstance(fig, Figure)
    assert sum(1 for ax in fig.axes if ax.lines) == 4
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert sorted(texts) == sorted(f"p = {p:.3f}  FAIL" for p in result.p_values.values())


def test_summary_names_failures_and_the_multiplicity_correction(tmp_path):
    from forecast.validation.commands import sbc_summary_text

    text = sbc_summary_text(_fake_result(skew=True), "demo", [tmp_path / "sbc.json"])
    assert "log_rate" in text and "FAIL" in text
    assert "4 parameter(s) FAIL" in text
    assert "Bonferroni: p < 0.0125 for 4 parameters" in text
    assert "each fit: numpyro's NUTS (JAX), 2 chains x 400 draws" in text  # the sampler used


@pytest.mark.parametrize(
    "argv",
    [
        ["validate"],
        ["validate", "scenarios/june-anniversary.yaml", "--sbc"],
        ["validate", "scenarios/june-anniversary.yaml", "--recovery"],
        ["validate", "scenarios/june-anniversary.yaml", "--sims", "50"],
        ["validate", "--sims", "50"],
        ["validate", "--recovery", "--sims", "50"],
        ["validate", "--sbc", "--replicates", "3"],
    ],
)
def test_validate_usage_errors_are_one_line_and_exit_2(argv, tmp_path, capsys):
    out = tmp_path / "out"
    assert main([*argv, "--out", str(out)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("error: validate: ")
    assert captured.err.count("\n") == 1
    assert not out.exists()


def test_unusable_out_is_refused_before_any_sampling(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["validate", "--sbc", "--out", str(blocker)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--out: expected a directory" in err


def test_too_few_simulations_are_refused(capsys):
    assert main(["validate", "--sbc", "--sims", "5"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "expected --sims >= 20" in err


def _scalar_parameters(ranks) -> int:
    """How many scalar parameters an SBC ranks dataset holds (every dimension but simulation)."""
    return sum(
        int(np.prod([ranks[v].sizes[d] for d in ranks[v].dims if d != "simulation"]))
        for v in ranks.data_vars
    )


@pytest.mark.slow
def test_sbc_finds_no_miscalibration(validation_data, compiled_fit):
    # one uniformity test per scalar parameter at family-wise level 5% (Bonferroni): a correct
    # model fails this with probability at most 5% for a given seed; the seed is fixed, so the
    # outcome is reproducible.
    result = run_sbc(validation_data, sims=100, seed=20260226, fitter=compiled_fit)
    assert result.sims == 100
    assert len(result.p_values) == _scalar_parameters(result.ranks)
    for name in result.ranks.data_vars:
        r = result.ranks[name].values
        assert r.shape[0] == 100 and r.min() >= 0 and r.max() <= result.max_rank
    assert result.failed == [], result.p_values
    # a few divergent transitions in 80,000 are tolerable; many would make the ranks suspect
    assert result.divergences <= 10


@pytest.mark.slow
def test_sbc_detects_a_fit_with_the_wrong_prior(validation_data, compiled_fit):
    # Simulate from the real priors, fit with the baseline prior moved up by two prior sds: the
    # true log rates then sit low among the posterior draws, and the test must say so.
    b = validation_data.baseline
    wrong = replace(validation_data, baseline=replace(b, mu=b.mu + 2 * b.sigma))
    result = run_sbc(validation_data, sims=60, seed=11, fit_priors=wrong, fitter=compiled_fit)
    assert "log_rate" in result.failed
    assert result.p_values["log_rate"] < 1e-3
    assert float(result.pit["log_rate"].mean()) < 0.35


@pytest.mark.slow
def test_validate_sbc_and_recovery_write_stamped_files(tmp_path, capsys, monkeypatch, compiled_fit):
    import json

    from matplotlib.image import imread

    import forecast.model.fastfit as fastfit
    from forecast import __version__
    from forecast.config.scenario import scenario_sha256
    from forecast.domain.record import data_sha256
    from forecast.validation.commands import DEFAULT_SCENARIO

    # the command compiles before-ceasefire's model; reuse the session's compiled copy
    monkeypatch.setattr(fastfit, "fast_fit", lambda data: compiled_fit)
    out = tmp_path / "validation"
    argv = ["validate", "--sbc", "--sims", "20", "--recovery", "--replicates", "1"]
    assert main([*argv, "--out", str(out), "--seed", "5"]) == 0
    text = capsys.readouterr().out
    assert "Prior SBC of the model on before-ceasefire's record" in text
    assert "20 simulations, seed 5" in text and "Parameter recovery" in text
    stamp = {
        "version": __version__,
        "scenario_sha256": scenario_sha256(DEFAULT_SCENARIO),
        "data_sha256": data_sha256(),
    }
    sbc = json.loads((out / "sbc.json").read_text())
    assert sbc["stamp"] == stamp and sbc["simulations"] == 20
    data = compiled_fit.data
    n_venue = len(data.dyad.alternatives) + len(data.venue_terms)
    assert len(sbc["p_values"]) == 1 + len(data.history.names) + n_venue
    assert len(sbc["ranks"]["log_rate"]) == 20
    assert set(sbc["ranks"]["beta"]) == set(data.history.names)
    assert sbc["settings"]["sampler"].startswith("numpyro")
    rec = json.loads((out / "recovery.json").read_text())
    assert rec["stamp"] == stamp and len(rec["cells"]) == 9 and rec["replicates"] == 1
    assert imread(out / "sbc_ecdf.png").shape[0] > 500
