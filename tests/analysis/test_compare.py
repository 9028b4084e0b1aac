"""analysis.compare: forecasts side by side, differences per draw, windows matched by dates."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.analysis.compare import Item, compare, draws_key, fit_key, items_from_runs
from forecast.config.scenario import parse_scenario
from forecast.design.prepare import prepare

SPREAD = dict(rate=(-0.8, 0.4), beta_sd=0.4)  # the draws these tests compare


def test_scenarios_differing_only_in_the_horizon_share_one_fit(pair):
    a, b = pair
    settings = {"draws": 100, "seed": 1}
    assert fit_key(a, settings) == fit_key(b, settings)
    assert fit_key(a, settings) != fit_key(a, {**settings, "seed": 2})


def test_shared_draws_give_the_difference_draw_by_draw(pair, random_draws):
    a, b = pair
    draws = random_draws(a, 400, **SPREAD)
    cmp = compare([Item("a", "a", a, draws, "g"), Item("b", "b", b, draws, "g")])
    assert cmp.method(1) == "shared draws"
    head = cmp.rows[0]
    direct = head.values[1] - head.values[0]
    np.testing.assert_array_equal(cmp.difference(head, 1), direct)
    summary = cmp.to_dict()["rows"][0]["differences"][1]
    lo, hi = np.quantile(direct, (0.1, 0.9))
    assert summary == pytest.approx({"p": direct.mean(), "lo": lo, "hi": hi})
    # a window named differently but with the same dates is one row
    windows = [r for r in cmp.rows if r.kind == "window"]
    first = a.scenario.windows[0]
    row = next(r for r in windows if r.key == f"{first.start}..{first.end}")
    assert row.values[0] is not None and row.values[1] is not None
    assert len(windows) == len({(w.start, w.end) for w in a.scenario.windows})


def test_independent_fits_pair_shuffled_draws(pair, random_draws):
    a, b = pair
    cmp = compare(
        [
            Item("a", "a", a, random_draws(a, 400, 1, **SPREAD), "g1"),
            Item("b", "b", b, random_draws(b, 300, 2, **SPREAD), "g2"),
        ],
        seed=3,
    )
    assert cmp.method(1) == "independent draws"
    diff = cmp.difference(cmp.rows[0], 1)
    assert len(diff) == 300
    assert diff.mean() == pytest.approx(
        cmp.rows[0].values[1].mean() - cmp.rows[0].values[0][: len(diff)].mean(), abs=0.05
    )
    again = compare(
        [
            Item("a", "a", a, random_draws(a, 400, 1, **SPREAD), "g1"),
            Item("b", "b", b, random_draws(b, 300, 2, **SPREAD), "g2"),
        ],
        seed=3,
    )
    np.testing.assert_array_equal(again.difference(again.rows[0], 1), diff)


def test_a_window_outside_an_items_horizon_is_not_computed(june_raw, dataset, pair, random_draws):
    a, _ = pair
    raw = {**june_raw, "horizon_end": "2025-08-31"}
    raw["windows"] = [w for w in june_raw["windows"] if w["end"] <= "2025-08-31"]
    short = prepare(parse_scenario(raw, "s.yaml"), dataset)
    cmp = compare(
        [
            Item("a", "a", a, random_draws(a, 400, **SPREAD), "g"),
            Item("s", "s", short, random_draws(a, 400, **SPREAD), "g"),
        ]
    )
    assert cmp.rows[0].label == "summit by the horizon's end (each its own)"
    late = [r for r in cmp.rows if r.kind == "window" and r.key.split("..")[1] > "2025-08-31"]
    assert late and all(r.values[1] is None for r in late)
    assert all(cmp.difference(r, 1) is None for r in late)


def test_saved_runs_with_the_same_draws_are_paired(tiny_run_dir, tmp_path):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(tiny_run_dir, copy)
    items = items_from_runs([tiny_run_dir, copy])
    assert items[0].group == items[1].group == draws_key(items[0].draws)
    cmp = compare(items)
    assert cmp.method(1) == "shared draws"
    assert np.all(cmp.difference(cmp.rows[0], 1) == 0)
