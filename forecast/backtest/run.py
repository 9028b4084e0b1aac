"""The backtest: fit at every origin with what was known then, forecast, score, write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from forecast.backtest.baselines import baseline_probabilities
from forecast.backtest.engine import Engine, covariate_names
from forecast.backtest.evaluate import case_forecast, next_summit, what_happened, window_forecasts
from forecast.backtest.origins import Case, Settings, Template, origins, scenario_at
from forecast.dataset import Dataset
from forecast.design import ModelData


@dataclass
class OriginResult:
    """One origin: per window, the model's and the baselines' probability and the outcome."""

    origin: date
    windows: list[dict]  # window_days, p, lo, hi, venues, constant, wartime, outcome
    next_summit: object | None  # forecast.dataset.Summit
    diagnostics: dict


@dataclass
class CaseResult:
    case: Case
    forecast: dict
    outcome: bool
    what_happened: str
    diagnostics: dict


@dataclass
class Backtest:
    settings: Settings
    origins: list[OriginResult]
    cases: list[CaseResult]
    compile_seconds: float
    seconds_per_origin: float
    total_seconds: float


def origin_seed(seed: int, day: date) -> int:
    """The sampler seed of an origin: fixed by the run's seed and the date alone, so an
    origin's forecast does not depend on which other origins are run."""
    return int(np.random.SeedSequence([seed, day.toordinal()]).generate_state(1)[0])


def forecast_origin(
    engine: Engine, dataset: Dataset, data: ModelData, settings: Settings
) -> OriginResult:
    """Fit at one origin (``data.scenario.as_of``) and forecast every window; add the
    baselines and the outcomes. Only the outcomes look past the origin."""
    day = data.scenario.as_of
    fit = engine.fit(
        data,
        draws=settings.draws,
        tune=settings.tune,
        chains=settings.chains,
        seed=origin_seed(settings.seed, day),
    )
    nxt = next_summit(dataset, day)
    rows = []
    for fc in window_forecasts(data, fit.draws, settings.windows):
        w = fc["window_days"]
        hit = nxt is not None and nxt.date <= day + timedelta(days=w)
        rows.append({**fc, **baseline_probabilities(dataset, day, w), "outcome": bool(hit)})
    return OriginResult(day, rows, nxt, fit.diagnostics)


def run_backtest(
    settings: Settings,
    dataset: Dataset,
    template: Template,
    cases: list[Case],
    *,
    echo: Callable[[str], None] = lambda _: None,
) -> Backtest:
    """Run every origin of ``settings`` and every case; return the results (nothing written).

    Parameters
    ----------
    settings
        Checked settings (see :func:`forecast.backtest.origins.make_settings`).
    dataset
        The full record; each origin sees only ``dataset.known_on(origin)`` through
        :func:`forecast.design.prepare`, and the outcomes are read from it.
    template
        The indicator template; statements dated after an origin are ignored there.
    cases
        Named cases to forecast beside the origins.
    echo
        Called with progress lines.
    """
    from forecast.design import prepare

    t0 = time.perf_counter()
    days = origins(settings)
    scenarios = [
        scenario_at(template, d, d + timedelta(days=settings.longest), settings.windows)
        for d in days
    ]
    names = covariate_names(scenarios[0])
    first = prepare(scenarios[0], dataset)
    engine = Engine(names, first)
    echo(f"compiled the model once in {engine.compile_seconds:.1f} s")
    sampler = dict(draws=settings.draws, tune=settings.tune, chains=settings.chains)

    results: list[OriginResult] = []
    t_loop = time.perf_counter()
    for k, sc in enumerate(scenarios):
        data = first if k == 0 else prepare(sc, dataset)
        results.append(forecast_origin(engine, dataset, data, settings))
        if (k + 1) % 12 == 0 or k + 1 == len(days):
            rate = (time.perf_counter() - t_loop) / (k + 1)
            echo(f"  {k + 1}/{len(days)} origins, {rate:.2f} s per origin")
    per_origin = (time.perf_counter() - t_loop) / len(days)

    case_results: list[CaseResult] = []
    for case in cases:
        sc = scenario_at(
            template, case.as_of, case.horizon_end, [(case.horizon_end - case.as_of).days]
        )
        data = prepare(sc, dataset)
        fit = engine.fit(data, seed=origin_seed(settings.seed, case.as_of), **sampler)
        fc = case_forecast(data, fit.draws, case.venues)
        hit, words = what_happened(dataset, case.as_of, case.horizon_end, case.venues)
        case_results.append(CaseResult(case, fc, hit, words, fit.diagnostics))
    return Backtest(
        settings=settings,
        origins=results,
        cases=case_results,
        compile_seconds=engine.compile_seconds,
        seconds_per_origin=per_origin,
        total_seconds=time.perf_counter() - t0,
    )
