"""The compiled-once engine: same log density as each origin's own model, no look-ahead.

The log-density checks need no sampling. The sampling checks compile the model with nutpie
once per module (about 10-30 s on this machine) and use tiny sampler settings.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
import pymc as pm
import pytest
from scipy.stats import norm

from forecast.backtest.engine import covariate_names, model_inputs, pad
from forecast.backtest.origins import Settings, scenario_at
from forecast.design.prepare import prepare
from forecast.domain.record import Exchange, Scheduled, Summit
from forecast.model.build import build_model

WINDOWS = (90, 180)


def _at(template, dataset, day: date):
    sc = scenario_at(template, day, day + timedelta(days=max(WINDOWS)), WINDOWS)
    return prepare(sc, dataset)


def _point(names: list[str], data, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {
        "log_rate": np.array(-1.3),
        "beta": rng.normal(0, 0.4, size=len(names)),
        "venue_asc": rng.normal(0, 0.5, size=len(data.dyad.alternatives)),
        "venue_beta": rng.normal(0, 0.5, size=len(data.venue_terms)),
    }


@pytest.mark.slow  # heavy (no sampling): in CI with the slow tier
@pytest.mark.parametrize(
    ("compiled_at", "origin"),
    [(date(2025, 8, 1), date(2018, 6, 1)), (date(2014, 1, 1), date(2025, 6, 1))],
)
def test_padded_model_with_swapped_data_has_the_origin_models_logp(
    template, dataset, compiled_at, origin
):
    """One model built at one origin, given another origin's data, has that origin's own
    model's log density and gradient (plus the unit-normal prior of the padding columns)."""
    first, data = _at(template, dataset, compiled_at), _at(template, dataset, origin)
    names = covariate_names(data.scenario, data.dyad)
    padded = build_model(pad(first, names))
    with padded:
        pm.set_data(
            model_inputs(pad(data, names)),
            coords={
                "segment": np.arange(len(data.history.exposure)),
                "summit": [s.id for s in data.venue_summits],
            },
        )
    own = build_model(data)
    cols = [names.index(n) for n in data.history.names]
    unused = [j for j in range(len(names)) if j not in cols]
    assert unused or origin > date(2025, 5, 12)
    for seed in range(3):
        point = _point(names, data, seed)
        mapped = {**point, "beta": point["beta"][cols]}
        expected = own.compile_logp()(mapped) + norm.logpdf(point["beta"][unused]).sum()
        assert padded.compile_logp()(point) == pytest.approx(expected, rel=1e-12)
        grad = padded.compile_dlogp()(point)
        own_grad = own.compile_dlogp()(mapped)
        # the gradient's layout: log_rate, beta (K), venue_asc (J-1), venue_beta (A)
        n_venue = len(point["venue_asc"]) + len(point["venue_beta"])
        assert len(grad) == 1 + len(names) + n_venue and len(own_grad) == 1 + len(cols) + n_venue
        np.testing.assert_allclose(grad[1:][cols], own_grad[1 : 1 + len(cols)], rtol=1e-10)
        np.testing.assert_allclose(grad[[0]], own_grad[[0]], rtol=1e-10)
        np.testing.assert_allclose(grad[-n_venue:], own_grad[-n_venue:], rtol=1e-10)


def test_padding_keeps_columns_and_zeroes_unstated_ones(template, dataset):
    data = _at(template, dataset, date(2024, 1, 1))
    names = covariate_names(data.scenario, data.dyad)
    padded = pad(data, names)
    assert padded.history.names == names and padded.term_names == names
    assert len(padded.paths) == len(data.paths)
    for j, n in enumerate(names):
        if n in data.history.names:
            k = data.history.names.index(n)
            np.testing.assert_array_equal(padded.history.X[:, j], data.history.X[:, k])
            for mine, own in zip(padded.paths, data.paths, strict=True):
                np.testing.assert_array_equal(mine.X[:, j], own.X[:, k])
        else:
            assert not padded.history.X[:, j].any()
            assert not any(p.X[:, j].any() for p in padded.paths)
            assert padded.timing_terms[j].prior.origin == "padding"


TINY = Settings(
    start=date(2023, 1, 1),
    end=date(2023, 1, 1),
    every="1M",
    windows=WINDOWS,
    draws=60,
    tune=60,
    chains=2,
    seed=5,
)


@pytest.mark.slow
def test_swapped_data_samples_exactly_like_a_model_compiled_for_that_origin(
    engine, template, dataset
):
    """nutpie's data swap really replaces the data: same draws as a fresh compilation."""
    import nutpie

    data = _at(template, dataset, date(2019, 2, 1))
    swapped = engine.fit(data, draws=60, tune=60, chains=2, seed=11)
    fresh = nutpie.compile_pymc_model(build_model(pad(data, engine.names)))
    idata = nutpie.sample(fresh, draws=60, tune=60, chains=2, seed=11, cores=2, progress_bar=False)
    cols = [engine.names.index(n) for n in data.history.names]
    post = idata["posterior"]
    beta = post["beta"].stack(s=("chain", "draw")).transpose("s", ...).values[:, cols]
    np.testing.assert_allclose(swapped.draws.beta, beta, rtol=1e-10)
    np.testing.assert_allclose(
        swapped.draws.log_rate, post["log_rate"].stack(s=("chain", "draw")).values, rtol=1e-10
    )


@pytest.mark.slow
def test_a_numpyro_refit_does_not_depend_on_the_fits_before_it(template, dataset):
    """The default refit backend: an origin fitted after another gives the draws a fresh
    engine gives it (inputs are arguments, nothing carries over between fits)."""
    from forecast.backtest.engine import Engine

    a, b = (_at(template, dataset, day) for day in (date(2019, 2, 1), date(2024, 7, 1)))
    names = covariate_names(a.scenario, a.dyad)
    reused = Engine(names, a)
    assert reused.backend == "numpyro"
    reused.fit(a, draws=60, tune=60, chains=2, seed=3)
    after = reused.fit(b, draws=60, tune=60, chains=2, seed=4)
    fresh = Engine(names, b).fit(b, draws=60, tune=60, chains=2, seed=4)
    np.testing.assert_array_equal(after.draws.beta, fresh.draws.beta)
    np.testing.assert_array_equal(after.draws.venue_asc, fresh.draws.venue_asc)
    assert after.draws.beta.shape[1] == len(b.history.names)


@pytest.mark.slow
def test_warm_compiles_each_shape_once_and_fits_then_only_sample(template, dataset):
    """warm compiles one numpyro program per array shape (2019 and 2024 have different
    segment buckets) before any fit; a warmed fit adds nothing to compile_seconds, and a
    warmed fit gives the draws of an unwarmed engine."""
    from forecast.backtest.engine import Engine

    a, b = (_at(template, dataset, day) for day in (date(2019, 2, 1), date(2024, 7, 1)))
    names = covariate_names(a.scenario, a.dyad)
    engine = Engine(names, a)
    engine.warm([a, b, a], draws=60, tune=60, chains=2)
    assert engine.programs == 2
    compiled = engine.compile_seconds
    assert compiled > 0
    fit = engine.fit(b, draws=60, tune=60, chains=2, seed=4)
    assert engine.compile_seconds == compiled and engine.programs == 2
    cold = Engine(names, b)
    same = cold.fit(b, draws=60, tune=60, chains=2, seed=4)
    assert cold.programs == 1  # compiled by the fit itself, and counted as compiling
    np.testing.assert_array_equal(fit.draws.beta, same.draws.beta)


def _rewrite_future(dataset, origin: date):
    """The record with everything after ``origin`` changed: a summit added, the real later
    summits moved to Moscow, later exchanges dropped, a new occasion announced later."""
    later = Summit(
        id="future-summit",
        uncertain=False,
        source="test fixture",
        date=origin + timedelta(days=10),
        leader_a="kim_jong_un",
        leader_b="putin",
        site="Moscow",
        venue_class="russian_capital",
        travelled="dprk",
        multilateral=False,
    )
    summits = tuple(
        s if s.date <= origin else s.model_copy(update={"venue_class": "russian_capital"})
        for s in dataset.summits
    )
    exchanges = tuple(x for x in dataset.exchanges if x.end <= origin)
    extra_exchange = Exchange(
        id="future-exchange",
        uncertain=False,
        source="test fixture",
        start=origin + timedelta(days=1),
        end=origin + timedelta(days=3),
        date_precision="day",
        person="someone",
        role="minister",
        rank="L",
        direction="to_russia",
        place="Moscow",
        met_leader=True,
    )
    occasion = Scheduled(
        id="future-forum-2023",
        uncertain=False,
        source="test fixture",
        name="a forum announced later",
        start=origin + timedelta(days=40),
        end=origin + timedelta(days=42),
        host="russia",
        venue_class="russian_capital",
        multilateral=True,
        announced_on=origin + timedelta(days=5),
    )
    return replace(
        dataset,
        summits=tuple(sorted((*summits, later), key=lambda s: s.date)),
        exchanges=(*exchanges, extra_exchange),
        scheduled=(*dataset.scheduled, occasion),
    )


@pytest.mark.slow
def test_no_look_ahead_changing_the_future_leaves_the_forecast_unchanged(engine, template, dataset):
    from forecast.backtest.run import forecast_origin

    origin = TINY.start
    changed = _rewrite_future(dataset, origin)
    a = forecast_origin(engine, dataset, _at(template, dataset, origin), TINY)
    b = forecast_origin(engine, changed, _at(template, changed, origin), TINY)
    assert b.next_summit.id == "future-summit"  # the outcome does change ...
    for wa, wb in zip(a.windows, b.windows, strict=True):  # ... the forecast does not
        for key in ("p", "lo", "hi", "constant", "wartime"):
            assert wa[key] == wb[key], key
        np.testing.assert_array_equal(wa["venues"], wb["venues"])
    assert a.windows[0]["outcome"] is False and b.windows[0]["outcome"] is True


@pytest.mark.slow
def test_no_look_ahead_for_a_cases_row(engine, template, dataset):
    """A cases-file row is fitted like an origin: the future changes its outcome only."""
    from forecast.backtest.origins import Case, case_scenario, venue_sets
    from forecast.backtest.run import fit_origin, score_case, score_origin

    day = TINY.start
    case = Case(
        as_of=day,
        horizon_end=day + timedelta(days=60),
        label="60 days",
        venue="russia",
        venues=venue_sets(dataset.dyad)["russia"],  # resolved, as the cases file's reader does
    )
    results = []
    for record in (dataset, _rewrite_future(dataset, day)):
        data = prepare(case_scenario(template, case), record)
        fit = fit_origin(engine, data, TINY)
        results.append((score_origin(record, data, fit), score_case(record, data, fit, case)))
    (origin_a, case_a), (origin_b, case_b) = results
    (wa,), (wb,) = origin_a.windows, origin_b.windows
    assert wa["window_days"] == 60
    for key in ("p", "lo", "hi", "constant", "wartime"):
        assert wa[key] == wb[key], key
    assert case_a.forecast["p_venue"] == case_b.forecast["p_venue"]
    assert (wa["outcome"], wb["outcome"]) == (False, True)
    assert (case_a.outcome, case_b.outcome) == (False, True)
