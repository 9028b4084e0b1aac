"""The model in JAX: its inputs as padded arrays and its joint log density.

The same joint model as :func:`forecast.model.build.build_model` (the piecewise-exponential
timing model and the conditional-logit venue model, normal priors), written directly in
``jax.numpy``. Every input is an argument of the density, never a constant in it, so one
compiled sampler (:mod:`forecast.model.jaxnuts`) serves every scenario, origin and prior of a
dataset with the same array shapes; and the shapes are bucketed (segments padded to a
multiple of :data:`SEGMENT_BUCKET`, venue summits to a multiple of :data:`SUMMIT_BUCKET`, the
padding masked out of the likelihood), so a new number of segments rarely means a new shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.design.announced import Announced, Outcomes, daily_hazard, outcome_logp
from forecast.design.prepare import ModelData
from forecast.model.build import prior_arrays

#: Segments are padded to a multiple of this; padded segments carry no likelihood.
SEGMENT_BUCKET = 128
#: Venue summits are padded to a multiple of this; padded summits carry no likelihood.
SUMMIT_BUCKET = 8
#: Claim outcomes (days a claim is scored off its counting days) are padded to a multiple of
#: this; a padded entry (reliability 0, not a meeting's day) scores 0.
OUTCOME_BUCKET = 64


def _bucket(n: int, size: int) -> int:
    return max(size, -(-n // size) * size)


@dataclass(frozen=True)
class Arrays:
    """The model's inputs as padded arrays: the arguments of the compiled sampler."""

    Xt: np.ndarray  # (K, S) covariates per segment, one row per covariate (see log_density)
    log_exposure: np.ndarray  # (S,)
    events: np.ndarray  # (S,)
    segment_mask: np.ndarray  # (S,) 1 for a real segment, 0 for padding
    venue_attrs: np.ndarray  # (N, J, A)
    venue_choice: np.ndarray  # (N,) int
    summit_mask: np.ndarray  # (N,)
    priors: dict[str, np.ndarray]  # prior means and sds, keyed as build.prior_arrays
    announced: np.ndarray  # (4, S) reliability, window length, day in window, framed (0: none)
    announce: bool  # whether announced meetings are in the model (announce_logit sampled)
    outcomes: np.ndarray  # (5, E) reliability, window length, day, framed, met (claim outcomes)

    def signature(self) -> tuple:
        """What fixes the compiled program: the arrays' shapes and whether q is sampled."""
        return (self.Xt.shape, self.venue_attrs.shape, self.outcomes.shape, self.announce)

    def args(self) -> tuple:
        p = self.priors
        return (
            self.Xt,
            self.log_exposure,
            self.events,
            self.segment_mask,
            self.venue_attrs,
            self.venue_choice,
            self.summit_mask,
            self.announced,
            self.outcomes,
            *(p[k] for k in PRIOR_KEYS),
            *(p[k] for k in ANNOUNCE_KEYS),
        )


PRIOR_KEYS = (
    "log_rate_mu",
    "log_rate_sigma",
    "beta_mu",
    "beta_sigma",
    "venue_asc_mu",
    "venue_asc_sigma",
    "venue_beta_mu",
    "venue_beta_sigma",
)
ANNOUNCE_KEYS = (
    "announce_logit_mu",
    "announce_logit_sigma",
    "framed_logit_mu",
    "framed_logit_sigma",
)


def model_arrays(data: ModelData, priors: dict[str, np.ndarray] | None = None) -> Arrays:
    """Pad ``data``'s history and venue summits to their buckets.

    Parameters
    ----------
    data
        The model's inputs (:func:`forecast.design.prepare.prepare`).
    priors
        Prior means and sds keyed as :func:`forecast.model.build.prior_arrays`; ``data``'s own
        if None.
    """
    hist = data.history
    n_seg, k = hist.X.shape
    s = _bucket(n_seg, SEGMENT_BUCKET)
    Xt = np.zeros((k, s))
    Xt[:, :n_seg] = hist.X.T
    log_exposure = np.zeros(s)
    log_exposure[:n_seg] = np.log(hist.exposure)
    events = np.zeros(s)
    events[:n_seg] = hist.events
    seg_mask = np.zeros(s)
    seg_mask[:n_seg] = 1.0
    n_sum, j, a = data.venue_attrs.shape
    n = _bucket(n_sum, SUMMIT_BUCKET)
    attrs = np.zeros((n, j, a))
    attrs[:n_sum] = data.venue_attrs
    choice = np.zeros(n, dtype=np.int64)
    choice[:n_sum] = data.venue_choice
    sum_mask = np.zeros(n)
    sum_mask[:n_sum] = 1.0
    p = prior_arrays(data) if priors is None else priors
    announce = data.announce is not None
    announced = np.zeros((4, s))
    announced[1] = 1.0  # a window length of 1 where no announcement counts: c = log(1/1) = 0
    n_out = len(hist.outcomes) if announce else 0
    outcomes = np.zeros((5, _bucket(n_out, OUTCOME_BUCKET)))
    outcomes[1] = 1.0  # padding: reliability 0, a window of 1 day, no meeting: a score of 0
    if announce:
        ann = hist.announced
        announced[:, :n_seg] = [ann.reliability, ann.length, ann.day, ann.framed]
        c = hist.outcomes.claims
        outcomes[:, :n_out] = [c.reliability, c.length, c.day, c.framed, hist.outcomes.met]
    else:  # unused by the density (no announce_logit), given for a fixed argument list
        p = {
            **p,
            **{key: np.zeros(()) if key.endswith("_mu") else np.ones(()) for key in ANNOUNCE_KEYS},
        }
    return Arrays(
        Xt,
        log_exposure,
        events,
        seg_mask,
        attrs,
        choice,
        sum_mask,
        {key: np.asarray(p[key], dtype=float) for key in PRIOR_KEYS + ANNOUNCE_KEYS},
        announced,
        announce,
        outcomes,
    )


def log_density(
    params: dict,
    Xt,
    log_exposure,
    events,
    segment_mask,
    venue_attrs,
    venue_choice,
    summit_mask,
    announced,
    outcomes,
    log_rate_mu,
    log_rate_sigma,
    beta_mu,
    beta_sigma,
    venue_asc_mu,
    venue_asc_sigma,
    venue_beta_mu,
    venue_beta_sigma,
    announce_logit_mu,
    announce_logit_sigma,
    framed_logit_mu,
    framed_logit_sigma,
):
    """The model's joint log density at ``params`` (the PyMC model's, constants included).

    ``announce_logit`` and ``framed_logit`` are in ``params`` only when announced meetings are
    in the model; the announced arrays and their priors are ignored otherwise."""
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import gammaln, logsumexp
    from jax.scipy.stats import norm

    log_rate, beta = params["log_rate"], params["beta"]
    asc, gamma = params["venue_asc"], params["venue_beta"]
    prior = (
        norm.logpdf(log_rate, log_rate_mu, log_rate_sigma)
        + jnp.sum(norm.logpdf(beta, beta_mu, beta_sigma))
        + jnp.sum(norm.logpdf(asc, venue_asc_mu, venue_asc_sigma))
        + jnp.sum(norm.logpdf(gamma, venue_beta_mu, venue_beta_sigma))
    )
    # Poisson(exp(eta)) counts per segment, the exact likelihood of the point process. The
    # covariates come one row per covariate: beta @ Xt runs along contiguous segments, and the
    # gradient of the whole density took 2.4 us against 4.9 us with X @ beta (640 x 10).
    eta = log_rate + beta @ Xt + log_exposure
    if "announce_logit" in params:  # known when tracing: a program of its own
        a_logit, f_logit = params["announce_logit"], params["framed_logit"]
        prior = (
            prior
            + norm.logpdf(a_logit, announce_logit_mu, announce_logit_sigma)
            + norm.logpdf(f_logit, framed_logit_mu, framed_logit_sigma)
        )
        reliability, length, day, framed = announced
        ann = Announced(reliability, length, day, None, framed)
        q, q_framed = jax.nn.sigmoid(a_logit), jax.nn.sigmoid(f_logit)
        mu = jnp.exp(eta) + daily_hazard(q, q_framed, ann, log=jnp.log)
        # the day-censored likelihood of forecast.model.build.day_censored_logp
        per = jnp.where(events > 0, jnp.log(-jnp.expm1(-mu)), -mu)
        o_rel, o_len, o_day, o_framed, o_met = outcomes
        scored = Outcomes(Announced(o_rel, o_len, o_day, None, o_framed), o_met)
        claims = outcome_logp(q, q_framed, scored, log=jnp.log)
    else:
        per = events * eta - jnp.exp(eta) - gammaln(events + 1.0)
        claims = 0.0
    timing = jnp.sum(segment_mask * per) + claims
    utility = jnp.concatenate([jnp.zeros(1), asc])[None, :] + venue_attrs @ gamma
    chosen = jnp.take_along_axis(utility, venue_choice[:, None], axis=1)[:, 0]
    venue = jnp.sum(summit_mask * (chosen - logsumexp(utility, axis=1)))
    return prior + timing + venue
