"""Cross-checks between a scenario and the dataset, and the record as known on as_of."""

from datetime import date

import numpy as np
import pytest

from forecast.config.scenario import parse_scenario
from forecast.config.yaml_loader import load_yaml
from forecast.design.inputs import check_scenario, record_for
from forecast.domain.record import load_dataset


def test_as_of_after_coverage_end_warns_with_the_gap(dataset, june_raw):
    data = june_raw
    data.update(as_of="2026-03-28", horizon_end="2026-12-31")
    data["windows"] = [{"name": "w", "start": "2026-06-01", "end": "2026-06-30"}]
    warnings = check_scenario(parse_scenario(data), dataset, "s.yaml")
    assert any("30 days after the dataset's coverage end 2026-02-26" in w for w in warnings)


def test_no_warning_inside_the_coverage(dataset, june):
    assert check_scenario(june, dataset, "s.yaml") == []


def test_later_statements_and_events_are_ignored_with_a_warning(dataset, june_raw):
    data = june_raw
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
    assert any("indicator treaty_anniversary was stated" in w and "ignored" in w for w in warnings)
    assert any("event #1 is dated 2025-05-30" in w for w in warnings)
    record = record_for(scenario, dataset)
    assert all(s.date <= date(2025, 5, 12) for s in record.summits)


def test_an_event_before_as_of_enters_the_record(dataset, june_raw):
    data = june_raw
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


def test_events_of_another_dyad_enter_its_record(scenarios_dir):
    kim_xi = load_dataset("kim-xi")
    data = load_yaml(scenarios_dir / "kim-xi-2026.yaml")
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


def test_an_as_of_in_the_future_is_refused(june_raw, dataset):
    from forecast.config.scenario import parse_scenario
    from forecast.design.inputs import check_scenario
    from forecast.errors import InputError

    june_raw.update(as_of="2100-01-01", horizon_end="2100-12-31")
    june_raw["windows"] = [{"name": "w", "start": "2100-02-01", "end": "2100-03-01"}]
    june_raw["indicators"] = []
    june_raw["events"] = []
    june_raw["venues"] = {}
    june_raw.pop("ceasefire", None)
    scenario = parse_scenario(june_raw)
    with pytest.raises(InputError, match="as_of: expected a date no later than today"):
        check_scenario(scenario, dataset, "s.yaml")


def test_a_scenario_signal_enters_the_record_and_the_terms(dataset, june_raw):
    from forecast.design.paths import daily_path
    from forecast.terms import timing_terms

    data = june_raw
    data["model"] = {"signals": True}  # the signal terms are opt-in
    data["signals"] = [
        {
            "id": "visit-news",
            "date": "2025-05-10",
            "kind": "official_announcement_with_dates",
            "who": "Kremlin press service",
            "what": "a visit on June 19-20",
            "source": "https://example.org/news",
            "window_start": "2025-06-19",
            "window_end": "2025-06-20",
            "reliability": 0.5,
        }
    ]
    scenario = parse_scenario(data)
    record = record_for(scenario, dataset)
    added = next(s for s in record.signals if s.id == "visit-news")
    assert (added.reliability, added.uncertain, added.window_end) == (0.5, False, date(2025, 6, 20))
    terms = timing_terms(scenario, record.dyad)
    path = daily_path(record, scenario, terms, date(2025, 6, 1), date(2025, 6, 30))
    # the scenario's announcement counts on its dates; on the other days the record's
    # time-framed 2025-03-27 confirmation ("this year") does
    x = np.where(path.announced.framed > 0, 0.0, path.announced.reliability)
    assert set(path.announced.framed[path.announced.reliability > 0]) == {0.0, 1.0}
    assert [str(d) for d in path.dates[x > 0]] == ["2025-06-19", "2025-06-20"]
    assert set(x[x > 0]) == {0.5}
    assert list(path.announced.day[x > 0]) == [1, 2] and set(path.announced.length[x > 0]) == {2}


@pytest.mark.parametrize(
    ("window", "phrase"),
    [
        ({"name": "w", "signal": "2025-05-06-denial"}, "states no window"),
        ({"name": "w", "signal": "2025-05-06-denail"}, "did you mean '2025-05-06-denial'?"),
        ({"name": "w", "signal": "2019-04-23-announcement"}, "ending inside the horizon"),
    ],
)
def test_a_window_naming_a_signal_that_cannot_give_one_is_refused(
    dataset, june_raw, window, phrase
):
    from forecast.errors import InputError

    june_raw["windows"] = [window]
    with pytest.raises(InputError) as info:
        check_scenario(parse_scenario(june_raw), dataset, "s.yaml")
    assert info.value.field == "windows -> w -> signal"
    assert phrase in info.value.message


def test_a_window_takes_a_signals_dates_from_the_day_after_as_of(dataset, june_raw):
    from forecast.design.inputs import resolve_windows

    june_raw["model"] = {"signals": True}  # the signal terms are opt-in
    june_raw["signals"] = [
        {
            "id": "visit-news",
            "date": "2025-05-10",
            "kind": "media_report_citing_sources",
            "who": "a newspaper",
            "what": "a visit in the second half of May",
            "source": "https://example.org/news",
            "window_start": "2025-05-01",
            "window_end": "2025-05-31",
        }
    ]
    june_raw["windows"] = [{"name": "as reported", "signal": "visit-news"}]
    scenario = parse_scenario(june_raw)
    check_scenario(scenario, dataset, "s.yaml")
    resolved = resolve_windows(scenario, record_for(scenario, dataset))
    (w,) = resolved.windows
    assert (w.start, w.end, w.signal) == (date(2025, 5, 13), date(2025, 5, 31), None)
