"""The backtest: fit at every origin with what was known then, forecast, score, write."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from forecast.backtest.baselines import baseline_probabilities
from forecast.backtest.cases import Case
from forecast.backtest.engine import Engine, OriginFit, covariate_names
from forecast.backtest.evaluate import case_forecast, next_summit, what_happened, window_forecasts
from forecast.backtest.origins import (
    CASES_LABEL,
    Settings,
    Template,
    case_scenario,
    origins,
    scenario_at,
    with_signals,
)
from forecast.config.scenario import Scenario
from forecast.design.prepare import ModelData
from forecast.domain.record import Dataset


@dataclass
class OriginResult:
    """One origin: per window, the model's and the baselines' probability and the outcome.

    A monthly origin has one window per ``--windows`` length; a cases-file row has one window,
    from its ``as_of`` to its ``horizon_end``, and its ``label``.
    """

    origin: date
    windows: list[dict]  # window_days, p, lo, hi, venues, constant, wartime, outcome
    next_summit: object | None  # forecast.domain.record.Summit
    diagnostics: dict
    label: str = ""


@dataclass
class CaseResult:
    case: Case
    forecast: dict
    outcome: bool
    what_happened: str
    diagnostics: dict
    #: The same case fitted with the signal terms on (:func:`case_forecast`'s dict), or None.
    with_signals: dict | None = None


@dataclass(frozen=True)
class ScoreSet:
    """One row of the scores: the ``index``-th window of every origin.

    ``window_days`` is the window's length, or ``None`` when each origin (a cases-file row) is
    scored to its own horizon end.
    """

    index: int
    window_days: int | None
    label: str


@dataclass
class Backtest:
    settings: Settings
    dataset: Dataset
    origins: list[OriginResult]
    cases: list[CaseResult]
    compile_seconds: float
    seconds_per_origin: float
    total_seconds: float
    fits: list[dict] = field(default_factory=list)  # every fit's diagnostics, once each

    @property
    def score_sets(self) -> list[ScoreSet]:
        """The score rows: one per window length, or one for the rows of a cases file."""
        if self.settings.from_cases:
            return [ScoreSet(0, None, CASES_LABEL)]
        return [ScoreSet(k, w, f"{w} days") for k, w in enumerate(self.settings.windows)]


def origin_seed(seed: int, day: date) -> int:
    """The sampler seed of an origin: fixed by the run's seed and the date alone, so an
    origin's forecast does not depend on which other origins are run."""
    return int(np.random.SeedSequence([seed, day.toordinal()]).generate_state(1)[0])


def fit_origin(engine: Engine, data: ModelData, settings: Settings) -> OriginFit:
    """Sample the posterior at ``data.scenario.as_of`` with the run's sampler settings."""
    return engine.fit(
        data,
        draws=settings.draws,
        tune=settings.tune,
        chains=settings.chains,
        seed=origin_seed(settings.seed, data.scenario.as_of),
    )


def score_origin(
    dataset: Dataset, data: ModelData, fit: OriginFit, label: str = ""
) -> OriginResult:
    """Forecast every window of the origin's scenario from ``fit``; add the baselines (for the
    window's own length) and the outcomes. Only the outcomes look past the origin."""
    day = data.scenario.as_of
    lengths = [(w.end - day).days for w in data.scenario.windows]
    nxt = next_summit(dataset, day)
    rows = []
    for fc in window_forecasts(data, fit.draws, lengths):
        w = fc["window_days"]
        hit = nxt is not None and nxt.date <= day + timedelta(days=w)
        rows.append({**fc, **baseline_probabilities(dataset, day, w), "outcome": bool(hit)})
    return OriginResult(day, rows, nxt, fit.diagnostics, label)


def forecast_origin(
    engine: Engine, dataset: Dataset, data: ModelData, settings: Settings
) -> OriginResult:
    """Fit at one origin (``data.scenario.as_of``) and forecast every window; add the
    baselines and the outcomes. Only the outcomes look past the origin."""
    return score_origin(dataset, data, fit_origin(engine, data, settings))


def score_case(dataset: Dataset, data: ModelData, fit: OriginFit, case: Case) -> CaseResult:
    """The model's probability of a named case's event from ``fit``, and what happened."""
    fc = case_forecast(data, fit.draws, case.venues)
    hit, words = what_happened(dataset, case.as_of, case.horizon_end, case.venues)
    return CaseResult(case, fc, hit, words, fit.diagnostics)


def _fit_cases_with_signals(
    results: list[CaseResult],
    dataset: Dataset,
    template: Template,
    settings: Settings,
    echo: Callable[[str], None],
) -> tuple[list[dict], float]:
    """Fit every named case again with the signal terms on (one engine of their own), with what
    was public on its ``as_of``, and keep that forecast beside the case's (``with_signals``);
    return the fits' diagnostics and the seconds spent compiling. The origins' scores stay
    those of the model without them (docs/backtest.md §7 scores the terms over days and
    weeks)."""
    from forecast.design.prepare import prepare

    if not results:
        return [], 0.0
    plan = [with_signals(case_scenario(template, r.case)) for r in results]
    datas = [prepare(sc, dataset) for sc in plan]
    engine = Engine(covariate_names(plan[0], dataset.dyad), datas[0])
    engine.warm(datas, draws=settings.draws, tune=settings.tune, chains=settings.chains)
    echo(
        f"compiled the model with the signal terms in {engine.compile_seconds:.1f} s "
        f"for the {len(results)} named cases"
    )
    diagnostics = []
    for result, data in zip(results, datas, strict=True):
        fit = fit_origin(engine, data, settings)
        diagnostics.append(fit.diagnostics)
        result.with_signals = case_forecast(data, fit.draws, result.case.venues)
    return diagnostics, engine.compile_seconds


def _plan(
    settings: Settings, template: Template, cases: list[Case]
) -> list[tuple[Scenario, Case | None]]:
    """The scored origins as ``(scenario, case or None)``: each date of the range with every
    window, or each row of the cases file to its own horizon end."""
    if settings.from_cases:
        return [(case_scenario(template, c), c) for c in cases]
    return [
        (scenario_at(template, d, d + timedelta(days=settings.longest), settings.windows), None)
        for d in origins(settings)
    ]


def run_backtest(
    settings: Settings,
    dataset: Dataset,
    template: Template,
    cases: list[Case],
    *,
    engine: Engine | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> Backtest:
    """Run every origin and every case; return the results (nothing written).

    Parameters
    ----------
    settings
        Checked settings (see :func:`forecast.backtest.origins.make_settings` and
        :func:`forecast.backtest.origins.case_settings`).
    dataset
        The full record; each origin sees only ``dataset.known_on(origin)`` through
        :func:`forecast.design.prepare.prepare`, and the outcomes are read from it.
    template
        The indicator template; statements dated after an origin are ignored there.
    cases
        Named cases. With ``settings.from_cases`` they are also the scored origins (one fit
        each, in ``as_of`` order); otherwise they are fitted beside the range's origins.
    engine
        A compiled engine for ``template`` to reuse; compiled here when ``None``.
    echo
        Called with progress lines.
    """
    from forecast.design.prepare import prepare

    t0 = time.perf_counter()
    plan = _plan(settings, template, cases)
    names = covariate_names(plan[0][0], dataset.dyad)
    first = prepare(plan[0][0], dataset)
    if engine is None:
        engine = Engine(names, first)
        engine.warm([first], draws=settings.draws, tune=settings.tune, chains=settings.chains)
        echo(f"compiled the model in {engine.compile_seconds:.1f} s")
    elif engine.names != names:
        raise ValueError("the engine was compiled for another template's covariates")

    results: list[OriginResult] = []
    case_results: list[CaseResult] = []
    fits: list[dict] = []
    t_loop = time.perf_counter()
    compiled_before = engine.compile_seconds

    def fitting() -> float:  # the loop's time so far, less compiling the programs it needed
        return time.perf_counter() - t_loop - (engine.compile_seconds - compiled_before)

    for k, (sc, case) in enumerate(plan):
        data = first if k == 0 else prepare(sc, dataset)
        fit = fit_origin(engine, data, settings)
        fits.append(fit.diagnostics)
        results.append(score_origin(dataset, data, fit, case.label if case else ""))
        if case is not None:
            case_results.append(score_case(dataset, data, fit, case))
        if (k + 1) % 12 == 0 or k + 1 == len(plan):
            rate = fitting() / (k + 1)
            echo(f"  {k + 1}/{len(plan)} origins, {rate:.2f} s per origin")
    per_origin = fitting() / len(plan)

    if settings.from_cases:  # in time order, for the block bootstrap and the tables
        results.sort(key=lambda r: (r.origin, r.windows[0]["window_days"]))
    else:
        for case in cases:
            data = prepare(case_scenario(template, case), dataset)
            fit = fit_origin(engine, data, settings)
            fits.append(fit.diagnostics)
            case_results.append(score_case(dataset, data, fit, case))
    signal_fits, signal_compile = _fit_cases_with_signals(
        case_results, dataset, template, settings, echo
    )
    fits.extend(signal_fits)
    return Backtest(
        settings=settings,
        dataset=dataset,
        origins=results,
        cases=case_results,
        compile_seconds=engine.compile_seconds + signal_compile,
        seconds_per_origin=per_origin,
        total_seconds=time.perf_counter() - t0,
        fits=fits,
    )
