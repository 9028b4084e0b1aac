import math

import numpy as np
import pytest
from scipy.stats import norm

from forecast.domain.record import available_datasets, load_dataset
from forecast.priors.elicit import elicit_log_effect, prior_from_range
from forecast.terms import timing_kinds, venue_kinds


def test_worked_example():
    mu, sigma = elicit_log_effect(2, 6, 0.8)
    assert math.exp(mu) == pytest.approx(math.sqrt(12))
    assert sigma == pytest.approx(math.log(3) / 2 / norm.ppf(0.9))


@pytest.mark.parametrize(
    ("low", "high", "conf"), [(0.2, 0.9, 0.5), (1.5, 4, 0.8), (0.01, 50, 0.99)]
)
def test_interval_has_the_stated_mass(low, high, conf):
    mu, sigma = elicit_log_effect(low, high, conf)
    mass = norm.cdf(math.log(high), mu, sigma) - norm.cdf(math.log(low), mu, sigma)
    assert mass == pytest.approx(conf)
    # and it is centred on the range in log space
    assert norm.cdf(math.log(low), mu, sigma) == pytest.approx((1 - conf) / 2)


@pytest.mark.parametrize(
    ("low", "high", "conf"), [(0, 2, 0.8), (3, 2, 0.8), (2, 2, 0.8), (1, 2, 1.0), (1, 2, 0)]
)
def test_rejects_bad_statements(low, high, conf):
    with pytest.raises(ValueError):
        elicit_log_effect(low, high, conf)


def test_defaults_are_valid_statements():
    kinds = [*timing_kinds().values(), *venue_kinds().values()]
    specs = [k.default for k in kinds if k.default is not None]
    for name in available_datasets():
        dyad = load_dataset(name).dyad
        specs += [v.prior.model_dump(exclude={"label", "why"}) for v in dyad.venues if v.prior]
    assert len(specs) > 10
    for spec in specs:
        prior = prior_from_range(**spec, label="x")
        assert np.isfinite(prior.mu) and prior.sigma > 0
        assert prior.origin == "default"


def test_scaled_prior():
    prior = prior_from_range(0.25, 1.0, 0.8, label="x")
    half = prior.scaled(2.0)
    assert half.mu == pytest.approx(prior.mu / 2) and half.sigma == pytest.approx(prior.sigma / 2)
