"""Fixtures of the term tests: a small hand-made record."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest


def _summit(day, venue="dprk", leader="kim_jong_un"):
    from forecast.domain.record import Summit

    return Summit(
        id=f"s{day}",
        date=day,
        leader_a=leader,
        leader_b="putin",
        site="x",
        venue_class=venue,
        travelled="russia" if venue == "dprk" else "dprk",
        multilateral=False,
        uncertain=False,
        source="https://example.org/s",
    )


def _exchange(end, rank="M1"):
    from forecast.domain.record import Exchange

    return Exchange(
        id=f"x{end}",
        start=end,
        end=end,
        date_precision="day",
        person="p",
        role="r",
        rank=rank,
        direction="to_dprk",
        place="Pyongyang",
        met_leader=False,
        uncertain=False,
        source="https://example.org/x",
    )


@pytest.fixture
def tiny(dataset, june_path):
    """A small hand-made record: two summits, two exchanges, a war from 2022-02-24."""
    from forecast.config.scenario import parse_scenario
    from forecast.config.yaml_loader import load_yaml
    from forecast.domain.record import Period

    record = replace(
        dataset,
        summits=(_summit(date(2019, 4, 25), "russian_far_east"), _summit(date(2024, 6, 19))),
        exchanges=(_exchange(date(2024, 1, 10)), _exchange(date(2024, 3, 5), rank="M2")),
        periods=(
            Period(
                id="war",
                start=date(2022, 2, 24),
                state="war",
                uncertain=False,
                source="https://example.org/w",
            ),
        ),
        scheduled=(),
        known_as_of=date(2025, 5, 12),
    )
    raw = load_yaml(june_path)
    scenario = parse_scenario(raw)
    return record, scenario


@pytest.fixture
def base(dataset, june_path):
    """The packaged record with two summits (the second on 2024-06-19) and no signals, and a
    scenario to build paths."""
    from dataclasses import replace

    from forecast.config.scenario import parse_scenario
    from forecast.config.yaml_loader import load_yaml

    record = replace(
        dataset,
        summits=(_summit(date(2019, 4, 25), "russian_far_east"), _summit(date(2024, 6, 19))),
        signals=(),
    )
    raw = load_yaml(june_path)
    raw["model"] = {**(raw.get("model") or {}), "signals": True}  # the signal terms are opt-in
    return record, parse_scenario(raw)


@pytest.fixture
def signal():
    """A factory of hand-made signal rows: ``signal(day, kind, **fields)``; the id defaults to
    ``"<kind>-<day>"`` and the text fields to placeholders."""
    from forecast.domain.signals import Signal

    def make(day, kind, **kw):
        return Signal(
            id=kw.pop("id", f"{kind}-{day}"),
            date=day,
            kind=kind,
            who="w",
            what="x",
            uncertain=kw.pop("uncertain", False),
            source="https://example.org/g",
            **kw,
        )

    return make
