"""backtest.baselines: the Jeffreys rate and the two naive baselines, by hand on tiny records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from forecast.backtest.baselines import baseline_probabilities, jeffreys_probability
from forecast.domain.record import Summit


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
