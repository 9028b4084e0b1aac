"""Model structure and a finite log-density and gradient at the initial point (no sampling)."""

import numpy as np
import pytest

from forecast.model.build import CORE_PARAMETERS, PARAMETERS, build_model, parameters


def test_structure(model, june_data):
    assert {v.name for v in model.free_RVs} == set(CORE_PARAMETERS) == set(parameters(june_data))
    assert {v.name for v in model.observed_RVs} == {"summit_counts", "venue_obs"}
    assert list(model.coords["covariate"]) == june_data.term_names
    assert list(model.coords["venue_alt"]) == list(june_data.dyad.alternatives)
    # the signal terms are opt-in (model.signals); june-anniversary leaves them out
    assert list(model.coords["venue_attr"]) == ["host_turn", "wartime_travel", "occasion_venue"]
    assert not [n for n in june_data.term_names if n.startswith("signal_")]
    # every prior mean/sd in the graph is the elicited one
    ip = model.initial_point()
    expected = np.array([t.prior.mu for t in june_data.timing_terms])
    np.testing.assert_allclose(ip["beta"], expected)


def test_finite_logp_and_gradient(model):
    ip = model.initial_point()
    logp = model.compile_logp()(ip)
    grad = model.compile_dlogp()(ip)
    assert np.isfinite(logp)
    assert np.all(np.isfinite(grad)) and np.any(grad != 0)


def test_logp_matches_hand_computation(model, june_data):
    """At the initial point the Poisson part equals sum(y log mu - mu - log y!)."""
    from scipy.special import gammaln
    from scipy.stats import norm

    ip = model.initial_point()
    point_logps = model.point_logps(ip, round_vals=12)
    h = june_data.history
    mu = np.exp(ip["log_rate"] + h.X @ ip["beta"]) * h.exposure
    expected = np.sum(h.events * np.log(mu) - mu - gammaln(h.events + 1))
    assert point_logps["summit_counts"] == pytest.approx(expected, rel=1e-9)
    b = june_data.baseline
    assert point_logps["log_rate"] == pytest.approx(norm.logpdf(b.mu, b.mu, b.sigma), rel=1e-9)


def test_gradient_points_towards_more_summits_when_rate_is_low(june_data):
    """Sanity of the likelihood's direction: with an absurdly low rate, d logp / d log_rate > 0."""
    model = build_model(june_data)
    ip = model.initial_point()
    ip["log_rate"] = np.array(-12.0)
    dlogp = model.compile_dlogp(vars=[model["log_rate"]])(ip)
    assert dlogp[0] > 0


def test_announced_meetings_add_their_hazard_to_the_likelihood(data_as_of):
    """With the signal terms on, each day of an announced window adds c_k(q) to its segment's
    Poisson mean, and each day of a time-framed signal's window c_k(q_f): the windows of the
    record as known on 2024-06-17, by hand."""
    from scipy.special import expit

    data = data_as_of("2024-06-17", "2024-06-20")
    model = build_model(data)
    assert {v.name for v in model.free_RVs} == set(PARAMETERS) == set(parameters(data))
    ip = model.initial_point()
    ip["announce_logit"] = np.array(1.5)
    ip["framed_logit"] = np.array(-0.7)
    h = data.history
    ann = h.announced
    inside = ann.reliability > 0
    assert inside.sum() >= 2 and np.all(h.exposure[inside] * 365.25 == pytest.approx(1.0))
    assert {0.0, 1.0} <= set(ann.framed[inside])  # both kinds of claim in the record
    q0 = np.where(ann.framed > 0, expit(-0.7), expit(1.5))
    q = q0 * ann.reliability / (1 - q0 + q0 * ann.reliability)
    c = np.log(ann.length - q * (ann.day - 1)) - np.log(ann.length - q * ann.day)
    mu = np.exp(ip["log_rate"] + h.X @ ip["beta"]) * h.exposure + c
    # a summit's day (a segment of its own) counts P(a summit that day) = 1 - exp(-mu)
    held = h.events > 0
    assert h.events.max() == 1 and np.all(h.exposure[held] * 365.25 == pytest.approx(1.0))
    expected = np.sum(np.where(held, np.log(-np.expm1(-mu)), -mu))
    got = model.point_logps(ip, round_vals=12)["summit_counts"]
    assert got == pytest.approx(expected, rel=1e-9)
    assert np.all(c[~inside] == 0) and np.all(c[inside] > 0)
