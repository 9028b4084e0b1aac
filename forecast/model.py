"""The PyMC model: a piecewise-exponential timing model and a conditional-logit venue model.

Timing. The hazard of a Kim Jong Un–Putin summit (per year) is
``lambda(t) = exp(log_rate + x(t) @ beta)`` with piecewise-constant covariates ``x(t)``; over a
segment of constant covariates with exposure ``e`` (years) the number of summits is
``Poisson(e * lambda)``, which is the exact likelihood of the point process.

Venue. Given a summit at ``t``, venue class ``j`` has utility
``asc_j + a_j(t) @ gamma`` (``asc_dprk = 0``) and probability ``softmax(utility)_j``.
"""

from __future__ import annotations

import numpy as np
import pymc as pm
import pytensor.tensor as pt

from forecast.design import ModelData
from forecast.venues import VENUE_ATTRS
from forecast.vocab import VENUE_CLASSES


def _mu_sigma(priors) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p.mu for p in priors]), np.array([p.sigma for p in priors])


def build_model(data: ModelData) -> pm.Model:
    """Build the joint timing-and-venue model for :class:`~forecast.design.ModelData`."""
    hist = data.history
    coords = {
        "covariate": hist.names,
        "segment": np.arange(len(hist.exposure)),
        "venue": list(VENUE_CLASSES),
        "venue_alt": list(VENUE_CLASSES[1:]),
        "venue_attr": list(VENUE_ATTRS),
        "summit": [s.id for s in data.venue_summits],
    }
    b_mu, b_sigma = _mu_sigma([c.prior for c in data.covariates])
    a_mu, a_sigma = _mu_sigma(data.venue_asc)
    g_mu, g_sigma = _mu_sigma(data.venue_effects)
    with pm.Model(coords=coords) as model:
        X = pm.Data("X", hist.X, dims=("segment", "covariate"))
        log_exposure = pm.Data("log_exposure", np.log(hist.exposure), dims="segment")
        events = pm.Data("events", hist.events, dims="segment")
        attrs = pm.Data("venue_attrs", data.venue_attrs, dims=("summit", "venue", "venue_attr"))
        choice = pm.Data("venue_choice", data.venue_choice, dims="summit")

        log_rate = pm.Normal("log_rate", data.baseline.mu, data.baseline.sigma)
        beta = pm.Normal("beta", b_mu, b_sigma, dims="covariate")
        pm.Poisson(
            "summit_counts",
            mu=pt.exp(log_rate + X @ beta + log_exposure),
            observed=events,
            dims="segment",
        )

        asc = pm.Normal("venue_asc", a_mu, a_sigma, dims="venue_alt")
        gamma = pm.Normal("venue_beta", g_mu, g_sigma, dims="venue_attr")
        asc_full = pt.concatenate([pt.zeros(1), asc])
        utility = asc_full[None, :] + pt.sum(attrs * gamma[None, None, :], axis=-1)
        pm.Categorical("venue_obs", logit_p=utility, observed=choice, dims="summit")
    return model


PARAMETERS = ("log_rate", "beta", "venue_asc", "venue_beta")
