"""Fixtures of the backtest tests: two tiny real backtests (monthly origins, and the rows of a
cases file) sharing one compiled engine."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

TINY_SAMPLER = {"draws": 60, "tune": 60, "chains": 2, "seed": 3}
# Two rows share an as_of with different horizons; the 2023-09-13 and 2024-06-19 summits follow.
CASES = (
    "as_of,horizon_end,label,venue\n"
    "2024-05-01,2024-06-30,June 2024 in the DPRK,dprk\n"
    "2023-08-01,2023-09-30,Vostochny within 60 days,\n"
    "2023-08-01,2023-08-31,August 2023,any\n"
)


@pytest.fixture(scope="module")
def backtest_engine(dataset):
    """An engine compiled once for the default template's covariates (origin 2023-06-01)."""
    from forecast.backtest.engine import Engine, covariate_names
    from forecast.backtest.origins import DEFAULT_TEMPLATE, load_template, scenario_at
    from forecast.design.prepare import prepare

    tpl = load_template(DEFAULT_TEMPLATE, dataset)
    sc = scenario_at(tpl, date(2023, 6, 1), date(2023, 9, 1), [90])
    return Engine(covariate_names(sc, dataset.dyad), prepare(sc, dataset))


@pytest.fixture(scope="module")
def tiny_backtest(tmp_path_factory, backtest_engine) -> tuple[dict, dict[str, Path]]:
    """A monthly-origins backtest, 2023-06-01 to 2023-09-01, windows of 30 and 90 days, tiny
    sampler settings: ``(backtest.json as data, written paths)``."""
    from forecast.backtest import backtest

    out = tmp_path_factory.mktemp("bt") / "backtest"
    return backtest(
        out,
        start="2023-06-01",
        end="2023-09-01",
        windows="30,90",
        engine=backtest_engine,
        **TINY_SAMPLER,
    )


@pytest.fixture(scope="module")
def cases_backtest(tmp_path_factory, backtest_engine) -> tuple[dict, dict[str, Path]]:
    """A backtest of three cases-file rows (two share an as_of, 2023-08-01, with different
    horizons; a June 2024 row asks for the DPRK), tiny sampler settings:
    ``(backtest.json as data, written paths)``."""
    from forecast.backtest import backtest

    out = tmp_path_factory.mktemp("bt-cases") / "backtest"
    cases = out.parent / "cases.csv"
    cases.write_text(CASES, encoding="utf-8")
    return backtest(out, cases=cases, engine=backtest_engine, **TINY_SAMPLER)


@pytest.fixture(scope="module")
def template(dataset):
    """The backtest's default indicator template, read against the packaged dataset."""
    from forecast.backtest.origins import DEFAULT_TEMPLATE, load_template

    return load_template(DEFAULT_TEMPLATE, dataset)


@pytest.fixture(scope="module")
def engine(template, dataset):
    """The compile-once refit engine (nutpie), compiled at the origin 2025-08-01 with windows
    of 90 and 180 days."""
    from datetime import date, timedelta

    from forecast.backtest.engine import Engine, covariate_names
    from forecast.backtest.origins import scenario_at
    from forecast.design.prepare import prepare

    day = date(2025, 8, 1)
    first = prepare(scenario_at(template, day, day + timedelta(days=180), (90, 180)), dataset)
    return Engine(covariate_names(first.scenario, first.dyad), first, backend="nutpie")
