"""decompose: the horizon hazard as baseline x term multipliers x exposure, per draw."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.config.scenario import parse_scenario
from forecast.decompose import decompose, summary
from forecast.design.prepare import prepare
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.predict import Draws, path_survival


def test_the_factors_multiply_back_to_the_total_hazard(june_data, random_draws):
    draws = random_draws(june_data, 300)
    dec = decompose(june_data, draws)
    product = dec.baseline_per_year * dec.multipliers.prod(axis=1) * dec.exposure_years
    np.testing.assert_allclose(product, dec.total, rtol=1e-10)
    np.testing.assert_allclose(dec.log_factors().sum(axis=1), np.log(dec.total), rtol=1e-10)
    # one path: the total is the cumulative hazard of the survival curve, exactly
    surv = path_survival(june_data.paths[0], draws)
    np.testing.assert_allclose(dec.total, -np.log(surv[:, -1]), rtol=1e-10)
    # exposure is at most the meeting-possible days, in years
    days = june_data.paths[0].active.sum()
    assert np.all(dec.exposure_years <= days / DAYS_PER_YEAR + 1e-12)


def test_by_hand_on_a_constant_term(june_data, random_draws):
    """A term that is 1 on every day gives its whole multiplier; with all others at zero the
    exposure is the whole horizon and the baseline is the rate."""
    k = june_data.history.X.shape[1]
    draws = random_draws(june_data, 4)
    path = june_data.paths[0]
    on = path.active > 0
    x = path.X[on]
    constant = [j for j in range(k) if np.allclose(x[:, j], 1.0)]
    varying = [j for j in range(k) if j not in constant]
    beta = draws.beta.copy()
    beta[:, varying] = 0.0
    dec = decompose(june_data, Draws(draws.log_rate, beta, draws.venue_asc, draws.venue_beta))
    for j in constant:
        np.testing.assert_allclose(dec.multipliers[:, j], np.exp(beta[:, j]))
    np.testing.assert_allclose(dec.exposure_years, on.sum() / DAYS_PER_YEAR, rtol=1e-10)
    np.testing.assert_allclose(dec.baseline_per_year, np.exp(draws.log_rate))


def test_a_mixture_decomposes_the_expected_cumulative_hazard(june_raw, dataset, random_draws):
    raw = {
        **june_raw,
        "ceasefire": {
            "assumption": "uncertain",
            "alternatives": [
                {"label": "no deal", "weight": 0.6},
                {"label": "deal", "weight": 0.4, "start": "2025-07-01"},
            ],
            "stated_by": "an analyst",
            "source": "a source",
        },
    }
    data = prepare(parse_scenario(raw, "s.yaml"), dataset)
    draws = random_draws(data, 300)
    dec = decompose(data, draws)
    expected = sum(p.weight * -np.log(path_survival(p, draws)[:, -1]) for p in data.paths)
    np.testing.assert_allclose(dec.total, expected, rtol=1e-10)
    product = dec.baseline_per_year * dec.multipliers.prod(axis=1) * dec.exposure_years
    np.testing.assert_allclose(product, dec.total, rtol=1e-10)


def test_summary_lists_every_timing_term(june_data, random_draws):
    dec = decompose(june_data, random_draws(june_data, 300))
    s = summary(dec)
    assert [t["name"] for t in s["terms"]] == list(june_data.term_names)
    for part in (s["total_hazard"], s["baseline_per_year"], s["exposure_years"]):
        assert part["lo"] <= part["p50"] <= part["hi"]
    assert s["total_hazard"]["p50"] == pytest.approx(float(np.median(dec.total)))


def test_the_news_to_come_is_one_more_factor_of_the_product(signals_as_of, random_draws):
    """With the signal terms on, the news to come multiplies each day's hazard by G_h; it is
    a factor of its own, and the factors still multiply back to the background hazard, which
    with the announced meetings' part is the survival curve's cumulative hazard."""
    from forecast.decompose import NEWS
    from forecast.predict import announced_hazard

    data = signals_as_of("2024-06-11")
    draws = random_draws(data, 50)
    draws = Draws(
        draws.log_rate,
        draws.beta,
        draws.venue_asc,
        draws.venue_beta,
        np.full(50, 2.0),
        np.zeros(50),
    )
    dec = decompose(data, draws)
    assert dec.names[-1] == NEWS and len(dec.names) == len(data.timing_terms) + 1
    np.testing.assert_allclose(dec.log_factors().sum(axis=1), np.log(dec.background), rtol=1e-10)
    path = data.paths[0]
    surv = path_survival(path, draws)
    announced = announced_hazard(path, draws).sum(axis=1)
    np.testing.assert_allclose(dec.total, -np.log(surv[:, -1]), rtol=1e-10)
    np.testing.assert_allclose(dec.announced, announced, rtol=1e-12)
    assert np.all(dec.multipliers[:, -1] >= 1.0)  # news to come only adds here
    # without the news to come the factor is gone and the background is smaller
    from dataclasses import replace

    off = replace(data, paths=tuple(replace(p, news=None) for p in data.paths))
    quiet = decompose(off, draws)
    assert quiet.names == tuple(t.name for t in data.timing_terms)
    assert np.all(quiet.background < dec.background)
