"""Forecast arithmetic on hand-made draws, where the answer is known in closed form."""

from datetime import date

import numpy as np
import pytest

from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.predict import Draws, forecast, survival


def _draws(data, n=50, rate=0.5, beta=None, asc=None, gamma=None):
    k, j, a = len(data.timing_terms), len(data.dyad.alternatives), len(data.venue_terms)
    return Draws(
        log_rate=np.full(n, np.log(rate)),
        beta=np.zeros((n, k)) if beta is None else np.tile(beta, (n, 1)),
        venue_asc=np.zeros((n, j)) if asc is None else np.tile(asc, (n, 1)),
        venue_beta=np.zeros((n, a)) if gamma is None else np.tile(gamma, (n, 1)),
    )


def test_constant_rate_is_exponential(june_data):
    out = forecast(june_data, _draws(june_data, rate=0.5))
    days = (date(2025, 12, 31) - date(2025, 5, 12)).days
    p = 1 - np.exp(-0.5 * days / DAYS_PER_YEAR)
    assert out["headline"]["by_horizon_end"]["p"] == pytest.approx(p)
    assert out["by_date"][-1]["p"] == pytest.approx(p)
    assert out["by_date"][0]["date"] == "2025-05-13"
    w = out["windows"][0]  # Jun 5 .. Jul 3
    a = (date(2025, 6, 5) - date(2025, 5, 12)).days - 1
    b = (date(2025, 7, 3) - date(2025, 5, 12)).days
    expected = np.exp(-0.5 * a / DAYS_PER_YEAR) - np.exp(-0.5 * b / DAYS_PER_YEAR)
    assert w["p"] == pytest.approx(expected)
    assert w["p_none_before"] == pytest.approx(np.exp(-0.5 * a / DAYS_PER_YEAR))
    # all draws equal: the interval collapses
    assert w["lo"] == pytest.approx(w["p"]) and w["hi"] == pytest.approx(w["p"])
    # months partition the horizon
    assert sum(m["p"] for m in out["by_month"]) == pytest.approx(p)


def test_uniform_venues_without_effects(june_data):
    out = forecast(june_data, _draws(june_data))
    assert [v["p"] for v in out["venues"]] == pytest.approx([0.2] * 5)


def test_venue_constants_shift_the_mix(june_data):
    asc = np.log([3.0, 1.0, 1.0, 1.0])  # Moscow 3x the DPRK's odds, no attribute effects
    out = forecast(june_data, _draws(june_data, asc=asc))
    p = {v["venue"]: v["p"] for v in out["venues"]}
    assert p["russian_capital"] == pytest.approx(3 / 7)
    assert p["dprk"] == pytest.approx(1 / 7)
    assert sum(p.values()) == pytest.approx(1)


def test_a_draw_with_no_mass_in_a_window_says_nothing_about_its_venue(june_data):
    """One draw's summit is certain within days (its survival underflows to 0 long before the
    window): the window's venue mix is the other draws', and still sums to 1."""
    asc = np.log([3.0, 1.0, 1.0, 1.0])
    certain = _draws(june_data, n=1, rate=1e7, asc=asc)
    others = _draws(june_data, n=3, asc=asc)
    fields = ("log_rate", "beta", "venue_asc", "venue_beta")
    both = Draws(*(np.concatenate([getattr(certain, f), getattr(others, f)]) for f in fields))
    mix = forecast(june_data, both)["windows"][0]["venues"]
    alone = forecast(june_data, others)["windows"][0]["venues"]
    assert sum(v["p"] for v in mix) == pytest.approx(1)
    assert [v["p"] for v in mix] == pytest.approx([v["p"] for v in alone])


def test_covariate_effect_raises_window_probability(june_data):
    names = june_data.term_names
    beta = np.zeros(len(names))
    beta[names.index("occasion:treaty_anniversary")] = np.log(4)
    base = forecast(june_data, _draws(june_data))["windows"][0]["p"]
    boosted = forecast(june_data, _draws(june_data, beta=beta))["windows"][0]["p"]
    assert boosted > 2.5 * base


def test_median_date_and_monotone_curve(june_data):
    out = forecast(june_data, _draws(june_data, rate=5.0))
    ps = [row["p"] for row in out["by_date"]]
    assert np.all(np.diff(ps) >= 0)
    median = date.fromisoformat(out["median_date"])
    t = (median - date(2025, 5, 12)).days
    assert 1 - np.exp(-5 * t / DAYS_PER_YEAR) >= 0.5 > 1 - np.exp(-5 * (t - 1) / DAYS_PER_YEAR)
    slow = forecast(june_data, _draws(june_data, rate=0.05))
    assert slow["median_date"] is None


def test_survival_shape(june_data):
    s = survival(june_data, _draws(june_data, n=7))
    assert s.shape == (7, len(june_data.horizon_dates) + 1)
    assert np.all(s[:, 0] == 1)


def test_two_path_ensemble_is_the_closed_form_mixture(june_data):
    """Two horizon paths (weights 0.3 / 0.7) with constant but different hazards and different
    venue attributes: the headline, every window and the venue shares are the closed-form
    mixture. Timing: P(t) = 0.3 (1 - exp(-r1 t)) + 0.7 (1 - exp(-r2 t)). Venue: each path's
    venue probabilities weighted by that path's weighted probability of a summit in the run of
    days, not by the path weights alone."""
    from dataclasses import replace

    from forecast.design.prepare import HorizonPath

    T = len(june_data.horizon_dates)
    K, J, A = len(june_data.timing_terms), len(june_data.dyad.venue_ids), len(june_data.venue_terms)
    r1, boost, moscow_boost = 0.5, 4.0, 6.0  # path 2: hazard 4x, Moscow's odds 6x
    r2 = r1 * boost
    moscow = june_data.dyad.venue_ids.index("russian_capital")
    X2 = np.zeros((T, K))
    X2[:, 0] = 1.0  # a term 'on' every day of path 2 only
    attrs2 = np.zeros((T, J, A))
    attrs2[:, moscow, 0] = 1.0  # a venue attribute of Moscow on path 2 only
    paths = (
        HorizonPath(0.3, "path one", None, np.zeros((T, K)), np.ones(T), np.zeros((T, J, A))),
        HorizonPath(0.7, "path two", None, X2, np.ones(T), attrs2),
    )
    data = replace(june_data, paths=paths)
    beta = np.zeros(K)
    beta[0] = np.log(boost)
    gamma = np.zeros(A)
    gamma[0] = np.log(moscow_boost)
    asc = np.log([2.0, 1.0, 0.5, 1.0])  # odds of the alternatives against the DPRK
    out = forecast(data, _draws(data, n=5, rate=r1, beta=beta, asc=asc, gamma=gamma))

    weights, rates = np.array([0.3, 0.7]), np.array([r1, r2])
    odds1 = np.concatenate([[1.0], np.exp(asc)])
    odds2 = odds1.copy()
    odds2[moscow] *= moscow_boost
    q = np.stack([odds1 / odds1.sum(), odds2 / odds2.sum()])  # (path, venue)
    as_of = date(2025, 5, 12)

    def surv(days):  # each path's survival after ``days`` horizon days
        return np.exp(-rates * days / DAYS_PER_YEAR)

    def mass(a, b):  # each path's weighted probability of the summit in days a+1 .. b
        return weights * (surv(a) - surv(b))

    def shares(a, b):
        m = mass(a, b)
        return (m @ q) / m.sum()

    p_end = float(weights @ (1 - np.exp(-rates * T / DAYS_PER_YEAR)))
    assert (date(2025, 12, 31) - as_of).days == T
    assert out["headline"]["by_horizon_end"]["p"] == pytest.approx(p_end, rel=1e-12)
    assert out["by_date"][-1]["p"] == pytest.approx(p_end, rel=1e-12)
    assert sum(m["p"] for m in out["by_month"]) == pytest.approx(p_end, rel=1e-12)
    assert out["venues"][moscow]["venue"] == "russian_capital"
    assert [v["p"] for v in out["venues"]] == pytest.approx(list(shares(0, T)), rel=1e-12)
    for w, spec in zip(out["windows"], june_data.scenario.windows, strict=True):
        a, b = (spec.start - as_of).days - 1, (spec.end - as_of).days
        assert w["p"] == pytest.approx(mass(a, b).sum(), rel=1e-12)
        assert w["lo"] == pytest.approx(w["p"]) and w["hi"] == pytest.approx(w["p"])
        assert w["p_none_before"] == pytest.approx(float(weights @ surv(a)), rel=1e-12)
        assert [v["p"] for v in w["venues"]] == pytest.approx(list(shares(a, b)), rel=1e-12)
    first = out["windows"][0]
    assert out["headline"]["first_window"]["p"] == first["p"]
    # Not vacuous: the density weighting matters (path 2's share of the mass shrinks as its
    # faster hazard exhausts it), so the mix differs from the path-weight mix and by window.
    naive = weights @ q
    assert abs(first["venues"][moscow]["p"] - naive[moscow]) > 0.01
    assert abs(first["venues"][moscow]["p"] - out["windows"][2]["venues"][moscow]["p"]) > 0.01


def test_json_safe_turns_numpy_and_non_finite_values_into_json():
    import json

    import numpy as np

    from forecast.io.outputs import json_safe

    raw = {"a": np.float64(0.5), "b": [np.int64(3), float("nan")], "c": (np.bool_(True), np.inf)}
    assert json_safe(raw) == {"a": 0.5, "b": [3, None], "c": [True, None]}
    assert json.loads(json.dumps(json_safe(raw), allow_nan=False))["b"] == [3, None]
