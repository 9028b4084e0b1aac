"""Forecast arithmetic on hand-made draws, where the answer is known in closed form."""

from datetime import date

import numpy as np
import pytest

from forecast.design.paths import DAYS_PER_YEAR
from forecast.predict import Draws, forecast, survival


def _draws(data, n=50, rate=0.5, beta=None, asc=None, gamma=None):
    k = len(data.covariates)
    return Draws(
        log_rate=np.full(n, np.log(rate)),
        beta=np.zeros((n, k)) if beta is None else np.tile(beta, (n, 1)),
        venue_asc=np.zeros((n, 4)) if asc is None else np.tile(asc, (n, 1)),
        venue_beta=np.zeros((n, 3)) if gamma is None else np.tile(gamma, (n, 1)),
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


def test_covariate_effect_raises_window_probability(june_data):
    names = [c.name for c in june_data.covariates]
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
    assert s.shape == (7, len(june_data.horizon.dates) + 1)
    assert np.all(s[:, 0] == 1)


def test_json_safe_turns_numpy_and_non_finite_values_into_json():
    import json

    import numpy as np

    from forecast.io.outputs import json_safe

    raw = {"a": np.float64(0.5), "b": [np.int64(3), float("nan")], "c": (np.bool_(True), np.inf)}
    assert json_safe(raw) == {"a": 0.5, "b": [3, None], "c": [True, None]}
    assert json.loads(json.dumps(json_safe(raw), allow_nan=False))["b"] == [3, None]
