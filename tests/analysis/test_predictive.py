"""analysis.predictive: the posterior predictive check, on made-up draws of a known hazard."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from forecast.analysis import predictive as checks
from forecast.domain.vocab import DAYS_PER_YEAR


def test_fixed_hazard_gives_the_poisson_expectation(june_data, fixed_draws):
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


def test_years_exposure_and_record(june_data, fixed_draws):
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


def test_extreme_hazards_give_known_statistics(june_data, fixed_draws):
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


def test_check_is_reproducible_and_max_draws(june_data, fixed_draws):
    draws = fixed_draws(june_data, 0.25, n=300)
    a = checks.predictive_check(june_data, draws, seed=3)
    b = checks.predictive_check(june_data, draws, seed=3)
    np.testing.assert_array_equal(a.simulated, b.simulated)
    c = checks.predictive_check(june_data, draws, seed=3, max_draws=40)
    assert c.simulated.shape == (40, len(a.years))
    assert list(a.table().index) == ["summits", "longest wait", "repeat summits"]


def test_misfit_statement_is_computed_from_the_numbers(june_data, fixed_draws):
    bad = checks.predictive_check(june_data, fixed_draws(june_data, 0.005, n=500), seed=0)
    text = checks.misfit_statement(bad)
    assert "Where the model fits badly" in text
    assert "Kim–Putin summits in the fitted period: the record has 3, more than all but" in text
    assert "2019: a summit happened, but only" in text
    good = checks.predictive_check(june_data, fixed_draws(june_data, 0.22, n=500), seed=0)
    text = checks.misfit_statement(good)
    assert "No statistic and no summit year falls outside the central 80%" in text
    assert "The largest discrepancies:" in text
