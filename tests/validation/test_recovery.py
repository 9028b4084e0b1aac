"""Parameter recovery: data simulated by the model from known parameters, fitted by the model.

Over a grid of true values (validation.recovery): the summaries (fast) and the real grid (slow).
And on one designed dataset (slow): the real record has only a handful of summits, so recovery is
also checked on the real covariate history repeated many times (as if many independent dyads),
with the never-observed ceasefire switched on in a random half, and many simulated venue choices.
"""

from __future__ import annotations

import math
from dataclasses import replace
from types import SimpleNamespace

import numpy as np
import pytest

from forecast.design.paths import Segments
from forecast.model.sample import sample
from forecast.validation.recovery import RecoveryResult, identified, run_recovery


def _fit(rate, mult, par, truth, mean, lo, hi, sd=0.1, events=10):
    return {
        "rate": rate,
        "multiplier": mult,
        "replicate": 0,
        "events": events,
        "parameter": par,
        "truth": truth,
        "mean": mean,
        "sd": sd,
        "lo": lo,
        "hi": hi,
        "covered": lo <= truth <= hi,
    }


def _result(fits) -> RecoveryResult:
    return RecoveryResult(
        effect="war",
        prob=0.8,
        copies=20,
        replicates=2,
        seed=1,
        fits=fits,
        settings={},
        seconds={"compile_model_once": 0.0, "simulate_and_fit": 0.0},
        divergences=0,
    )


def test_cells_and_overall_summaries_are_computed_by_hand():
    fits = [
        _fit(0.1, 2.0, "log_rate", -2.3, -2.1, -2.5, -2.0),  # covered, error +0.2
        _fit(0.1, 2.0, "log_rate", -2.3, -1.9, -2.2, -1.5),  # missed, error +0.4
        _fit(0.1, 2.0, "beta[war]", 0.7, 0.6, 0.2, 1.0),  # covered, error -0.1
        _fit(0.1, 2.0, "beta[war]", 0.7, 0.8, 0.3, 1.2),  # covered, error +0.1
    ]
    (cell,) = _result(fits).cells()
    assert cell["log_rate"]["coverage"] == 0.5
    assert cell["log_rate"]["bias"] == pytest.approx(0.3)
    assert cell["log_rate"]["rmse"] == pytest.approx(math.sqrt((0.04 + 0.16) / 2))
    assert cell["beta[war]"]["coverage"] == 1.0
    assert cell["beta[war]"]["bias"] == pytest.approx(0.0)
    overall = _result(fits).overall()
    assert list(overall) == ["log_rate", "beta[war]"] and overall["log_rate"]["n"] == 2


def test_only_covariates_that_vary_in_the_history_are_checked(june_data):
    names = identified(june_data)
    assert "war" in names and "exchanges" in names
    # no ceasefire before 2025-05-12: its coefficient can only return its prior
    assert "ceasefire" not in names


def test_unknown_effect_is_refused_before_compiling(june_data):
    with pytest.raises(ValueError, match="unknown effect 'peace'"):
        run_recovery(june_data, effect="peace")


def test_table_shows_every_cell(tmp_path):
    from forecast.validation.commands import recovery_table_text

    fits = [
        _fit(r, m, p, 0.0, 0.0, -1.0, 1.0)
        for r in (0.1, 1.0)
        for m in (0.5, 5.0)
        for p in ("log_rate", "beta[war]")
    ]
    text = recovery_table_text(_result(fits), "demo", [tmp_path / "recovery.json"])
    assert text.count("100%") == 4 * 2 + 2
    assert "central 80% interval" in text


@pytest.mark.slow
def test_grid_recovers_rate_and_war_effect_with_nominal_coverage(validation_data, compiled_fit):
    result = run_recovery(validation_data, replicates=8, seed=20260226, fitter=compiled_fit)
    assert result.divergences == 0
    n = 3 * 3 * 8
    # Coverage of one parameter's 80% interval over 72 independent fits is Binomial(72, 0.8)/72
    # if the intervals are calibrated: sd 0.047, so 3 sd is [0.66, 0.94].
    half = 3 * math.sqrt(0.8 * 0.2 / n)
    overall = result.overall()
    for name in ("log_rate", "beta[war]"):
        o = overall[name]
        assert o["n"] == n
        assert abs(o["coverage"] - 0.8) <= half, (name, o)
        # the mean error over 72 fits is within 3 standard errors of zero
        assert abs(o["bias"]) <= 3 * o["rmse"] / math.sqrt(n), (name, o)
    # every identified coefficient, pooled (the 9 intervals of one fit are not independent, so
    # the same conservative band as for a single parameter)
    pooled = sum(o["coverage"] for o in overall.values()) / len(overall)
    assert abs(pooled - 0.8) <= half
    # more true events give tighter posteriors: the grid spans rare to frequent summits
    cells = result.cells()
    assert cells[0]["log_rate"]["posterior_sd"] > 2 * cells[-1]["log_rate"]["posterior_sd"]


# --- one designed dataset ----------------------------------------------------------------------


REPS = 30
N_CHOICES = 300


def _simulate(data, seed):
    rng = np.random.default_rng(seed)
    h = data.history
    k = len(data.timing_terms)
    names = [c.name for c in data.timing_terms]
    X = np.tile(h.X, (REPS, 1))
    X[:, names.index("ceasefire")] = np.repeat(rng.integers(0, 2, REPS), len(h.exposure))
    exposure = np.tile(h.exposure, REPS)
    truth = {
        "log_rate": rng.normal(data.baseline.mu, data.baseline.sigma / 2),
        "beta": rng.normal(
            [c.prior.mu for c in data.timing_terms], [c.prior.sigma / 2 for c in data.timing_terms]
        ),
        "venue_asc": rng.normal([p.mu for p in data.venue_odds], 0.5),
        "venue_beta": rng.normal([t.prior.mu for t in data.venue_terms], 0.3),
    }
    events = rng.poisson(exposure * np.exp(truth["log_rate"] + X @ truth["beta"]))
    pool = np.concatenate([data.venue_attrs, data.paths[0].venue_attrs])
    attrs = pool[rng.integers(0, len(pool), N_CHOICES)]
    attrs[:, :, 2] = rng.integers(0, 2, attrs.shape[:2])  # occasions at random venues
    util = np.concatenate([[0.0], truth["venue_asc"]])[None, :] + attrs @ truth["venue_beta"]
    prob = np.exp(util - util.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    choice = np.array([rng.choice(5, p=p) for p in prob])
    sim = replace(
        data,
        history=Segments(
            names, X, exposure, events.astype(float), np.tile(h.start, REPS), np.tile(h.end, REPS)
        ),
        venue_summits=[SimpleNamespace(id=f"sim{i}") for i in range(N_CHOICES)],
        venue_attrs=attrs,
        venue_choice=choice,
    )
    assert k == len(truth["beta"])
    return sim, truth, int(events.sum())


@pytest.mark.slow
def test_parameters_are_recovered(june, dataset):
    from forecast.design.prepare import prepare
    from forecast.validation.commands import simulation_record

    # the simulation checks' record, without its signal rows (docs/validation.md)
    data = prepare(june, simulation_record(dataset))
    sim, truth, n_events = _simulate(data, seed=11)
    assert n_events > 30
    fit = sample(sim, draws=400, tune=400, chains=2, seed=3, cores=2)
    post = fit.idata["posterior"]
    misses, checked = [], 0
    for name, true in truth.items():
        draws = post[name].values.reshape(-1, *np.shape(true))
        lo, hi = np.quantile(draws, [0.025, 0.975], axis=0)
        for i, (t, a, b) in enumerate(
            zip(np.atleast_1d(true), np.atleast_1d(lo), np.atleast_1d(hi), strict=True)
        ):
            checked += 1
            if not a <= t <= b:
                misses.append((name, i, t, a, b))
    # 95% intervals over every parameter: allow one miss by chance
    assert len(misses) <= 1, misses
    # the well-identified ones are pinned down far more tightly than their priors
    sd_rate = post["log_rate"].values.std()
    assert sd_rate < 0.5 * data.baseline.sigma
    assert fit.diagnostics["divergences"] == 0
