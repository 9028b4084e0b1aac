"""model.fastfit: the simulation checks' fitters swap simulated data and priors in."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest


@pytest.mark.slow
def test_jaxfit_swaps_data_and_priors_like_a_fresh_model(validation_data, compiled_fit):
    """A JaxFit given simulated counts, venues and a prior gives the draws of numpyro's sampler
    on inputs built with them (the chains starting at the model's own prior means); an
    unknown input is refused by name."""
    from forecast.model.backends import REFIT_TARGET_ACCEPT
    from forecast.model.jaxmodel import model_arrays
    from forecast.model.jaxnuts import JaxSampler, initial_points

    data = validation_data
    rng = np.random.default_rng(3)
    events = rng.poisson(0.01, size=len(data.history.exposure)).astype(float)
    choice = rng.integers(0, len(data.dyad.venue_ids), size=len(data.venue_choice))
    sigma = np.full(len(data.history.names), 0.5)
    got = compiled_fit.fit(
        {"summit_counts": events, "venue_obs": choice, "beta_sigma": sigma}, seed=8
    )
    own = model_arrays(data)
    arrays = model_arrays(
        replace(data, history=replace(data.history, events=events), venue_choice=choice),
        priors={**own.priors, "beta_sigma": sigma},
    )
    sampler = JaxSampler(
        draws=compiled_fit.draws,
        tune=compiled_fit.tune,
        chains=compiled_fit.chains,
        target_accept=REFIT_TARGET_ACCEPT,
    )
    init = initial_points(own.priors, compiled_fit.chains, 8, own.announce)
    want = sampler.sample(arrays, 8, init=init)
    np.testing.assert_array_equal(got["posterior"]["beta"].values, want["beta"])
    np.testing.assert_array_equal(got["posterior"]["venue_asc"].values, want["venue_asc"])
    with pytest.raises(KeyError, match="'X'"):
        compiled_fit.fit({"X": np.zeros(3)}, seed=1)
