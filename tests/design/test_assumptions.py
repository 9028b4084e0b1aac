"""design.assumptions: the scenario's war assumption as weighted horizon paths."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from forecast.config.scenario import parse_scenario
from forecast.design.assumptions import cdf, horizon_assumptions
from forecast.design.prepare import prepare
from forecast.errors import InputError
from forecast.predict import mixture, path_survival


def _scenario(raw: dict, ceasefire: dict):
    raw = {**raw, "ceasefire": ceasefire}
    return parse_scenario(raw, "s.yaml")


JUDGED = {"stated_by": "an analyst", "source": "a source"}


def test_point_assumptions_are_one_path(june_raw):
    sc = _scenario(june_raw, {"assumption": "war_continues"})
    assert horizon_assumptions(sc) == [(1.0, "war continues", None)]
    sc = _scenario(june_raw, {"assumption": "ceasefire", "start": "2025-07-01"})
    assert horizon_assumptions(sc) == [(1.0, "ceasefire from 2025-07-01", date(2025, 7, 1))]


def test_step_shape_puts_each_increase_on_its_date(june_raw):
    points = [
        {"date": "2025-07-01", "probability": 0.2},
        {"date": "2025-10-01", "probability": 0.5},
    ]
    sc = _scenario(
        june_raw, {"assumption": "uncertain", "by_date": points, "shape": "step", **JUDGED}
    )
    paths = horizon_assumptions(sc)
    assert [(round(w, 12), start) for w, _, start in paths] == [
        (0.2, date(2025, 7, 1)),
        (0.3, date(2025, 10, 1)),
        (0.5, None),
    ]


def test_linear_shape_spreads_the_probability_over_the_months(june_raw):
    """as_of 2025-05-12; 40% by 2025-08-31, linear from 0: months get their share of days."""
    sc = _scenario(
        june_raw,
        {
            "assumption": "uncertain",
            "by_date": [{"date": "2025-08-31", "probability": 0.4}],
            **JUDGED,
        },
    )
    paths = horizon_assumptions(sc)
    total_days = (date(2025, 8, 31) - date(2025, 5, 12)).days  # 111
    expected = [19, 30, 31, 31]  # May 13-31, June, July, August
    for (w, label, start), days in zip(paths, expected, strict=False):
        assert w == pytest.approx(0.4 * days / total_days)
        assert start is not None and label.startswith("ceasefire from")
    assert paths[-1] == (pytest.approx(0.6), "war continues throughout", None)
    assert sum(w for w, _, _ in paths) == pytest.approx(1.0)
    assert cdf(sc.as_of, [(date(2025, 8, 31), 0.4)], date(2025, 12, 1)) == 0.4


def test_long_linear_rises_are_merged_into_at_most_twelve_paths(june_raw):
    raw = {**june_raw, "horizon_end": "2029-12-31"}
    raw["windows"] = [{"name": "all", "start": "2025-05-13", "end": "2029-12-31"}]
    sc = _scenario(
        raw,
        {
            "assumption": "uncertain",
            "by_date": [{"date": "2029-12-31", "probability": 0.9}],
            **JUDGED,
        },
    )
    paths = horizon_assumptions(sc)
    assert len(paths) <= 13 and sum(w for w, _, _ in paths) == pytest.approx(1.0)


def test_alternatives_keep_their_labels_and_weights(june_raw):
    sc = _scenario(
        june_raw,
        {
            "assumption": "uncertain",
            "alternatives": [
                {"label": "no deal", "weight": 0.6},
                {"label": "deal in July", "weight": 0.4, "start": "2025-07-01"},
            ],
            **JUDGED,
        },
    )
    assert horizon_assumptions(sc) == [
        (0.6, "no deal", None),
        (0.4, "deal in July", date(2025, 7, 1)),
    ]


@pytest.mark.parametrize(
    ("ceasefire", "field", "expected"),
    [
        ({"assumption": "uncertain", **JUDGED}, "ceasefire", "expected exactly one of 'by_date'"),
        (
            {"assumption": "uncertain", "by_date": [{"date": "2025-07-01", "probability": 0.2}]},
            "ceasefire",
            "expected 'stated_by'",
        ),
        (
            {
                "assumption": "uncertain",
                "by_date": [
                    {"date": "2025-07-01", "probability": 0.5},
                    {"date": "2025-08-01", "probability": 0.2},
                ],
                **JUDGED,
            },
            "ceasefire -> by_date -> #2 -> probability",
            "can only grow",
        ),
        (
            {
                "assumption": "uncertain",
                "by_date": [{"date": "2026-07-01", "probability": 0.2}],
                **JUDGED,
            },
            "ceasefire -> by_date -> #1 -> date",
            "the assumption is about the horizon only",
        ),
        (
            {
                "assumption": "uncertain",
                "alternatives": [
                    {"label": "a", "weight": 0.5},
                    {"label": "b", "weight": 0.2, "start": "2025-07-01"},
                ],
                **JUDGED,
            },
            "ceasefire -> alternatives",
            "expected weights summing to 1 (got 0.7)",
        ),
        (
            {"assumption": "uncertain", "probability": 0.4},
            "ceasefire -> probability",
            "unknown key",
        ),
        (
            {
                "assumption": "war_continues",
                "by_date": [{"date": "2025-07-01", "probability": 0.2}],
            },
            "ceasefire",
            "'by_date' is only allowed when assumption is 'uncertain'",
        ),
    ],
)
def test_bad_uncertain_assumptions_are_one_line_errors(june_raw, ceasefire, field, expected):
    with pytest.raises(InputError) as err:
        _scenario(june_raw, ceasefire)
    assert err.value.field == field
    assert expected in err.value.message and "\n" not in str(err.value)


def test_the_forecast_mixes_the_paths_per_draw(june_raw, dataset, fixed_draws):
    """Two alternatives: the mixed survival is the weighted sum of each path's, draw by draw."""
    sc = _scenario(
        june_raw,
        {
            "assumption": "uncertain",
            "alternatives": [
                {"label": "no deal", "weight": 0.7},
                {"label": "deal", "weight": 0.3, "start": "2025-06-01"},
            ],
            **JUDGED,
        },
    )
    data = prepare(sc, dataset)
    assert [p.weight for p in data.paths] == [0.7, 0.3]
    k = data.history.X.shape[1]
    beta = np.linspace(-0.5, 0.5, k)
    draws = fixed_draws(data, 0.8, n=3, beta=beta)
    surv, _ = mixture(data, draws)
    by_hand = 0.7 * path_survival(data.paths[0], draws) + 0.3 * path_survival(data.paths[1], draws)
    np.testing.assert_allclose(surv, by_hand, rtol=1e-12)
    assert not np.allclose(path_survival(data.paths[0], draws), path_survival(data.paths[1], draws))
