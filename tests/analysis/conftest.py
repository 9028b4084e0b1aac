"""Fixtures of the analysis tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def pair(june_raw, dataset):
    """june-anniversary and a copy with a ceasefire from July and a renamed, re-dated window."""
    from forecast.config.scenario import parse_scenario
    from forecast.design.prepare import prepare

    a = prepare(parse_scenario(june_raw, "a.yaml"), dataset)
    raw = {**june_raw, "ceasefire": {"assumption": "ceasefire", "start": "2025-07-01"}}
    raw["windows"] = [dict(w) for w in june_raw["windows"]]
    raw["windows"][0] = {**raw["windows"][0], "name": "June (renamed)"}
    b = prepare(parse_scenario(raw, "b.yaml"), dataset)
    return a, b
