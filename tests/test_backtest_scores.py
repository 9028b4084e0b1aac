"""Backtest scores and baselines: against scoringrules, and by hand on tiny examples."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
import scoringrules as sr

from forecast.backtest.baselines import baseline_probabilities, jeffreys_probability
from forecast.backtest.scores import (
    block_indices,
    brier,
    log_score,
    venue_scores,
    window_scores,
)
from forecast.domain.record import Summit
from forecast.plots.backtest import reliability_table

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


def test_jeffreys_probability_by_hand():
    # 2 events in 10 years; P(at least one in half a year) = 1 - (10 / 10.5) ** 2.5
    assert jeffreys_probability(2, 10.0, 0.5) == pytest.approx(1 - (10 / 10.5) ** 2.5)
    assert jeffreys_probability(0, 1.0, 1.0) == pytest.approx(1 - 2**-0.5)
    with pytest.raises(ValueError):
        jeffreys_probability(0, 0.0, 1.0)


def _summit(day: str, sid: str) -> Summit:
    return Summit(
        id=sid,
        uncertain=False,
        source="test fixture",
        date=date.fromisoformat(day),
        leader_a="kim_jong_un",
        leader_b="putin",
        site="test",
        venue_class="dprk",
        travelled="russia",
        multilateral=False,
    )


def test_baselines_by_hand_on_a_tiny_record(dataset):
    # Two Kim–Putin summits: one before the war, one during it; a Kim Jong Il summit that
    # does not count (before the Kim Jong Un era and not Kim–Putin).
    earlier = next(s for s in dataset.summits if not dataset.dyad.is_event(s))
    tiny = replace(
        dataset,
        summits=(earlier, _summit("2015-06-01", "a"), _summit("2022-06-01", "b")),
    )
    origin, w = date(2023, 2, 24), 90
    out = baseline_probabilities(tiny, origin, w)
    era_years = ((origin - date(2012, 1, 1)).days + 1) / 365.25  # 4073 days
    war_years = ((origin - date(2022, 2, 24)).days + 1) / 365.25  # 366 days
    assert out["constant"] == pytest.approx(1 - (era_years / (era_years + w / 365.25)) ** 2.5)
    assert out["wartime"] == pytest.approx(1 - (war_years / (war_years + w / 365.25)) ** 1.5)
    # Before the war both baselines are the one-rate estimate.
    before = baseline_probabilities(tiny, date(2020, 1, 1), w)
    assert before["constant"] == before["wartime"]


def test_baselines_ignore_records_after_the_origin(dataset):
    origin = date(2023, 1, 1)
    later = replace(
        dataset, summits=(*dataset.summits, _summit("2023-01-02", "later"))
    )  # a day after the origin
    for w in (90, 180):
        assert baseline_probabilities(later, origin, w) == baseline_probabilities(
            dataset, origin, w
        )


def test_reliability_table_by_hand():
    p = np.array([0.01, 0.02, 0.04, 0.15, 0.18, 0.6])
    y = np.array([0, 0, 1, 0, 1, 1])
    rows = reliability_table(p, y)
    assert [r["n"] for r in rows] == [3, 2, 1]
    assert [r["events"] for r in rows] == [1, 1, 1]
    assert rows[0]["mean_forecast"] == pytest.approx(0.07 / 3)
    assert rows[0]["observed"] == pytest.approx(1 / 3)
    assert rows[1]["bin"] == (0.1, 0.2)
    assert all(r["lo"] <= r["observed"] <= r["hi"] for r in rows)
