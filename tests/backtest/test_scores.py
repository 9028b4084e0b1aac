"""backtest.scores: against scoringrules, and by hand on tiny examples."""

from __future__ import annotations

import math

import numpy as np
import pytest
import scoringrules as sr

from forecast.backtest.scores import (
    block_indices,
    brier,
    log_score,
    venue_scores,
    window_scores,
)

Y = np.array([1, 0, 0, 1, 0])
P = np.array([0.8, 0.1, 0.3, 0.4, 0.05])
BASE = np.array([0.2, 0.2, 0.2, 0.2, 0.2])


def test_scores_equal_scoringrules_on_the_same_inputs():
    np.testing.assert_allclose(brier(Y, P), sr.brier_score(Y, P))
    np.testing.assert_allclose(log_score(Y, P), sr.log_score(Y, P))


def test_scores_by_hand():
    assert brier(Y, P).tolist() == pytest.approx([0.04, 0.01, 0.09, 0.36, 0.0025])
    by_hand = [-math.log(0.8), -math.log(0.9), -math.log(0.7), -math.log(0.4), -math.log(0.95)]
    assert log_score(Y, P).tolist() == pytest.approx(by_hand)


def test_window_scores_means_and_skill_by_hand():
    out = window_scores(Y, P, {"constant": BASE}, block=2, seed=0, n_boot=500)
    model_brier = (0.04 + 0.01 + 0.09 + 0.36 + 0.0025) / 5
    base_brier = (0.64 + 0.04 + 0.04 + 0.64 + 0.04) / 5
    assert out["n"] == 5 and out["n_events"] == 2
    assert out["brier"]["value"] == pytest.approx(model_brier)
    (base,) = out["baselines"]
    assert base["brier"]["value"] == pytest.approx(base_brier)
    assert base["bss"]["value"] == pytest.approx(1 - model_brier / base_brier)
    assert base["log"]["value"] == pytest.approx(-(2 * math.log(0.2) + 3 * math.log(0.8)) / 5)
    for iv in (out["brier"], out["log"], base["brier"], base["bss"]):
        assert iv["lo"] <= iv["hi"]


def test_window_scores_are_reproducible_and_skill_zero_against_itself():
    a = window_scores(Y, P, {"same": P}, block=2, seed=3, n_boot=200)
    b = window_scores(Y, P, {"same": P}, block=2, seed=3, n_boot=200)
    assert a == b
    bss = a["baselines"][0]["bss"]
    assert bss["value"] == 0 and bss["lo"] == 0 and bss["hi"] == 0


def test_a_skill_unbounded_on_some_resamples_has_an_infinite_bound_not_nan():
    """A 0-or-1 rule that is right on most origins has a perfect Brier score on some
    resamples, where the model's skill against it is -inf: the interval's lower bound is
    -inf (null in JSON), not nan."""
    y = np.array([0, 0, 0, 0, 0, 0, 0, 0, 1, 0])
    rule = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0, 0.0])  # wrong only on the one meeting
    p = np.full(10, 0.05)
    out = window_scores(y, p, {"rule": rule}, block=1, seed=0, n_boot=400)
    bss = out["baselines"][0]["bss"]
    assert bss["lo"] == -np.inf
    assert np.isfinite(bss["hi"]) and np.isfinite(bss["value"])


def test_block_indices_are_circular_runs():
    idx = block_indices(10, 3, 50, seed=1)
    assert idx.shape == (50, 10)
    assert idx.min() >= 0 and idx.max() <= 9
    for row in idx:
        for start in (0, 3, 6):  # each block of 3 is consecutive modulo 10
            run = row[start : start + 3]
            assert all((run[i + 1] - run[i]) % 10 == 1 for i in range(len(run) - 1))


def test_venue_scores_by_hand():
    out = venue_scores(np.array([0.5, 0.25]), 5, block=1, seed=0)
    ls = (math.log(2) + math.log(4)) / 2
    assert out["n"] == 2
    assert out["log_score"]["value"] == pytest.approx(ls)
    assert out["uniform_log_score"] == pytest.approx(math.log(5))
    assert out["skill"]["value"] == pytest.approx(1 - ls / math.log(5))
    assert venue_scores(np.array([]), 5, block=1, seed=0)["log_score"] is None
