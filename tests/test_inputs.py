"""Cross-checks between a scenario and the dataset, and the record as known on as_of."""

from datetime import date

import numpy as np
import xarray as xr

from forecast.config.scenario import parse_scenario
from forecast.config.yaml_loader import load_yaml
from forecast.design.inputs import check_scenario, record_for
from forecast.domain.record import load_dataset
from forecast.model.sample import diagnose
from tests.conftest import SCENARIOS, june_dict


def _june(**changes):
    data = june_dict()
    data.update(changes)
    return data


def test_as_of_after_coverage_end_warns_with_the_gap(dataset):
    data = _june(as_of="2026-03-28", horizon_end="2026-12-31")
    data["windows"] = [{"name": "w", "start": "2026-06-01", "end": "2026-06-30"}]
    warnings = check_scenario(parse_scenario(data), dataset, "s.yaml")
    assert any("30 days after the dataset's coverage end 2026-02-26" in w for w in warnings)


def test_no_warning_inside_the_coverage(dataset, june):
    assert check_scenario(june, dataset, "s.yaml") == []


def test_later_statements_and_events_are_ignored_with_a_warning(dataset):
    data = _june()
    data["indicators"][0]["stated_on"] = "2025-06-01"
    data["events"] = [
        {
            "kind": "summit",
            "date": "2025-05-30",
            "venue_class": "russian_capital",
            "travelled": "dprk",
            "source": "https://example.org/hypothetical",
        },
    ]
    scenario = parse_scenario(data)
    warnings = check_scenario(scenario, dataset, "s.yaml")
    assert any("indicator 0 (treaty_anniversary)" in w and "ignored" in w for w in warnings)
    assert any("event 0 is dated 2025-05-30" in w for w in warnings)
    record = record_for(scenario, dataset)
    assert all(s.date <= date(2025, 5, 12) for s in record.summits)


def test_an_event_before_as_of_enters_the_record(dataset):
    data = _june()
    data["events"] = [
        {
            "kind": "exchange",
            "start": "2025-05-01",
            "end": "2025-05-02",
            "person": "Someone",
            "role": "Foreign Minister",
            "rank": "M1",
            "direction": "to_dprk",
            "source": "https://example.org/hypothetical",
        },
    ]
    record = record_for(parse_scenario(data), dataset)
    assert any(x.id == "event-0" and x.end == date(2025, 5, 2) for x in record.exchanges)


def _fake_idata(diverging: int, split: bool, draws_per_chain: int = 100) -> xr.DataTree:
    rng = np.random.default_rng(0)
    shape = (2, draws_per_chain)
    draws = rng.normal(size=shape)
    if split:  # two chains in different places: R-hat far above 1.01
        draws[1] += 5
    post = xr.Dataset(
        {
            "log_rate": (("chain", "draw"), draws),
            "beta": (("chain", "draw", "covariate"), rng.normal(size=(*shape, 2))),
            "venue_asc": (("chain", "draw", "venue_alt"), rng.normal(size=(*shape, 4))),
            "venue_beta": (("chain", "draw", "venue_attr"), rng.normal(size=(*shape, 3))),
        }
    )
    div = np.zeros(shape, dtype=bool)
    div.flat[:diverging] = True
    stats = xr.Dataset({"diverging": (("chain", "draw"), div)})
    return xr.DataTree.from_dict({"posterior": post, "sample_stats": stats})


def test_sampling_problems_are_spelled_out():
    bad = diagnose(_fake_idata(diverging=3, split=True), seconds=1.0)
    assert bad["divergences"] == 3 and bad["rhat_max"] > 1.01
    text = "; ".join(bad["problems"])
    assert "3 divergent transitions" in text and "R-hat" in text and "bulk ESS" in text


def test_clean_sampling_has_no_problems():
    ok = diagnose(_fake_idata(diverging=0, split=False, draws_per_chain=2000), seconds=1.0)
    assert ok["divergences"] == 0 and ok["rhat_max"] <= 1.01
    assert ok["problems"] == []


def test_too_few_draws_is_flagged():
    short = diagnose(_fake_idata(diverging=0, split=False, draws_per_chain=50), seconds=1.0)
    assert any("bulk ESS" in p for p in short["problems"])  # 100 draws in all: below 400


def test_events_of_another_dyad_enter_its_record():
    kim_xi = load_dataset("kim-xi")
    data = load_yaml(SCENARIOS / "kim-xi-2026.yaml")
    data["events"] = [
        {
            "kind": "summit",
            "date": "2026-01-15",
            "venue_class": "china_capital",
            "travelled": "dprk",
            "source": "https://example.org/hypothetical",
        },
        {
            "kind": "occasion",
            "id": "forum",
            "name": "A forum in Beijing",
            "start": "2026-09-01",
            "end": "2026-09-02",
            "venue_class": "china_capital",
            "announced_on": "2026-01-01",
            "source": "https://example.org/hypothetical",
        },
    ]
    scenario = parse_scenario(data)
    assert check_scenario(scenario, kim_xi, "s.yaml") == []
    record = record_for(scenario, kim_xi)
    added = [s for s in record.events if s.id == "event-0"]
    assert [(s.leader_a, s.leader_b, s.date) for s in added] == [
        ("kim_jong_un", "xi_jinping", date(2026, 1, 15))
    ]
    assert len(record.events) == len(kim_xi.events) + 1
    forum = next(s for s in record.scheduled if s.id == "forum")
    assert forum.host == "china"  # the side of its venue class
