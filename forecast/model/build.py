"""The PyMC model: a piecewise-exponential timing model and a conditional-logit venue model.

Timing. The hazard of a Kim Jong Un–Putin summit (per year) is
``lambda(t) = exp(log_rate + x(t) @ beta)`` with piecewise-constant covariates ``x(t)``; over a
segment of constant covariates with exposure ``e`` (years) the number of summits is
``Poisson(e * lambda)``, which is the exact likelihood of the point process.

Announced meetings. With the signal terms on, a live official announcement with dates adds
the hazard that it is kept, ``c_k(q)`` on the ``k``-th day of its window
(:mod:`forecast.design.announced`), to the day's hazard ``mu = e * lambda + c_k``,
``q = sigmoid(announce_logit)``; a time-framed signal's claim adds the same with
``q_f = sigmoid(framed_logit)``. A day's hazard can then be large, and the record dates a
summit to its day, not its hour, so each summit's day is a segment of its own and counts
``P(a summit that day) = 1 - exp(-mu)`` (the day-censored likelihood) where the Poisson form
counts ``mu exp(-mu)``, which no day's hazard can push above ``1/e``; a day without a summit
counts ``exp(-mu)`` in both. A claim is also scored on the days of its window on which
another claim counts or after a cancellation (``claim_outcomes``, a potential:
:func:`~forecast.design.announced.claim_outcomes`).

Venue. Given a summit at ``t``, venue class ``j`` has utility
``asc_j + a_j(t) @ gamma`` (``asc_dprk = 0``) and probability ``softmax(utility)_j``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from forecast.design.announced import Outcomes, daily_hazard, outcome_logp
from forecast.design.paths import Segments
from forecast.design.prepare import ModelData

if TYPE_CHECKING:  # PyMC is imported by build_model only: the JAX backend never needs it
    import pymc as pm

PARAMETERS = ("log_rate", "beta", "venue_asc", "venue_beta", "announce_logit", "framed_logit")
#: The parameters every model has; ``announce_logit`` and ``framed_logit`` only when announced
#: meetings (the signal terms) are on.
CORE_PARAMETERS = PARAMETERS[:4]
#: The claims' parameters (``q`` and ``q_f`` on the log-odds scale), with the signal terms.
CLAIM_PARAMETERS = PARAMETERS[4:]
#: The model's observed variables and the ``pm.Data`` inputs that hold their values.
OBSERVED = {"summit_counts": "events", "venue_obs": "venue_choice"}
_COUNTS, _VENUES = OBSERVED
# Each parameter's prior mean and sd are pm.Data named "<parameter>_mu" and "<parameter>_sigma".
_PRIOR_DIMS = {
    "log_rate": None,
    "beta": "covariate",
    "venue_asc": "venue_alt",
    "venue_beta": "venue_attr",
    "announce_logit": None,
    "framed_logit": None,
}


def _mu_sigma(priors) -> tuple[np.ndarray, np.ndarray]:
    return np.array([p.mu for p in priors]), np.array([p.sigma for p in priors])


def prior_arrays(data: ModelData) -> dict[str, np.ndarray]:
    """The prior means and sds of every parameter, keyed as the model's ``pm.Data`` names."""
    b_mu, b_sigma = _mu_sigma([t.prior for t in data.timing_terms])
    a_mu, a_sigma = _mu_sigma(data.venue_odds)
    g_mu, g_sigma = _mu_sigma([t.prior for t in data.venue_terms])
    out = {
        "log_rate_mu": np.asarray(data.baseline.mu, dtype=float),
        "log_rate_sigma": np.asarray(data.baseline.sigma, dtype=float),
        "beta_mu": b_mu,
        "beta_sigma": b_sigma,
        "venue_asc_mu": a_mu,
        "venue_asc_sigma": a_sigma,
        "venue_beta_mu": g_mu,
        "venue_beta_sigma": g_sigma,
    }
    if data.announce is not None:
        out["announce_logit_mu"] = np.asarray(data.announce.mu, dtype=float)
        out["announce_logit_sigma"] = np.asarray(data.announce.sigma, dtype=float)
        out["framed_logit_mu"] = np.asarray(data.framed.mu, dtype=float)
        out["framed_logit_sigma"] = np.asarray(data.framed.sigma, dtype=float)
    return out


#: A claim's arrays (forecast.design.announced.Announced) kept in ``pm.Data``, each named
#: "<prefix>_<field>": "announced" per segment (the claim that counts), "outcome" per entry (the
#: claims scored off their counting days, with "outcome_met").
CLAIM_FIELDS = ("reliability", "length", "day", "framed")
_CLAIM_DIMS = {"announced": "segment", "outcome": "outcome"}


def claim_inputs(hist: Segments) -> dict[str, np.ndarray]:
    """The claims' ``pm.Data`` values by name (:data:`CLAIM_FIELDS`), with the signal terms."""
    out = {f"announced_{f}": getattr(hist.announced, f) for f in CLAIM_FIELDS}
    out.update({f"outcome_{f}": getattr(hist.outcomes.claims, f) for f in CLAIM_FIELDS})
    out["outcome_met"] = hist.outcomes.met
    return out


def parameters(data: ModelData) -> tuple[str, ...]:
    """The model's free parameters for ``data`` (:data:`PARAMETERS`, ``announce_logit`` and
    ``framed_logit`` only when announced meetings are on)."""
    return PARAMETERS if data.announce is not None else CORE_PARAMETERS


def day_censored_logp(value, mu):
    """Log-likelihood of a segment with hazard ``mu``: ``log(1 - exp(-mu))`` for a summit's day
    (``value`` 1), ``-mu`` for a run of days without one (PyTensor)."""
    import pytensor.tensor as pt

    return pt.switch(value > 0, pt.log1mexp(-mu), -mu)


def build_model(data: ModelData) -> pm.Model:
    """Build the joint timing-and-venue model for :class:`~forecast.design.prepare.ModelData`.

    Every input is a ``pm.Data`` container, the priors' means and sds included, so one
    compiled model can be given another origin's data and priors without recompiling (the
    backtest does this); the number of segments and of venue summits may change, the number
    of covariates may not.

    Parameters
    ----------
    data
        The model's inputs as assembled by :func:`forecast.design.prepare.prepare`.

    Returns
    -------
    pm.Model
        The joint model; its free parameters are :func:`parameters`.
    """
    import pymc as pm
    import pytensor.tensor as pt

    hist = data.history
    coords = {
        "covariate": hist.names,
        "segment": np.arange(len(hist.exposure)),
        "venue": list(data.dyad.venue_ids),
        "venue_alt": list(data.dyad.alternatives),
        "venue_attr": [t.name for t in data.venue_terms],
        "summit": [s.id for s in data.venue_summits],
        "outcome": np.arange(len(hist.outcomes)),
    }
    priors = prior_arrays(data)
    with pm.Model(coords=coords) as model:
        p = {
            name: pm.Data(name, value, dims=_PRIOR_DIMS[name.rsplit("_", 1)[0]])
            for name, value in priors.items()
        }
        X = pm.Data("X", hist.X, dims=("segment", "covariate"))
        log_exposure = pm.Data("log_exposure", np.log(hist.exposure), dims="segment")
        events = pm.Data("events", hist.events, dims="segment")
        attrs = pm.Data("venue_attrs", data.venue_attrs, dims=("summit", "venue", "venue_attr"))
        choice = pm.Data("venue_choice", data.venue_choice, dims="summit")

        log_rate = pm.Normal("log_rate", p["log_rate_mu"], p["log_rate_sigma"])
        beta = pm.Normal("beta", p["beta_mu"], p["beta_sigma"], dims="covariate")
        mu = pt.exp(log_rate + X @ beta + log_exposure)
        if data.announce is not None:
            d = {
                name: pm.Data(name, value, dims=_CLAIM_DIMS[name.split("_")[0]])
                for name, value in claim_inputs(hist).items()
            }
            announced = replace(hist.announced, **{f: d[f"announced_{f}"] for f in CLAIM_FIELDS})
            a_logit = pm.Normal("announce_logit", p["announce_logit_mu"], p["announce_logit_sigma"])
            f_logit = pm.Normal("framed_logit", p["framed_logit_mu"], p["framed_logit_sigma"])
            q, q_framed = pm.math.sigmoid(a_logit), pm.math.sigmoid(f_logit)
            mu = mu + daily_hazard(q, q_framed, announced, log=pt.log)
            claims = replace(hist.outcomes.claims, **{f: d[f"outcome_{f}"] for f in CLAIM_FIELDS})
            # the claims scored off their counting days (forecast.design.announced)
            pm.Potential(
                "claim_outcomes",
                outcome_logp(q, q_framed, Outcomes(claims, d["outcome_met"]), log=pt.log),
            )
            pm.CustomDist(_COUNTS, mu, logp=day_censored_logp, observed=events, dims="segment")
        else:
            pm.Poisson(_COUNTS, mu=mu, observed=events, dims="segment")

        asc = pm.Normal("venue_asc", p["venue_asc_mu"], p["venue_asc_sigma"], dims="venue_alt")
        gamma = pm.Normal(
            "venue_beta", p["venue_beta_mu"], p["venue_beta_sigma"], dims="venue_attr"
        )
        asc_full = pt.concatenate([pt.zeros(1), asc])
        utility = asc_full[None, :] + pt.sum(attrs * gamma[None, None, :], axis=-1)
        pm.Categorical(_VENUES, logit_p=utility, observed=choice, dims="summit")
    return model
