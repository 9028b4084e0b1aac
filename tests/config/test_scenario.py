"""The scenario schema: shipped scenarios validate; bad input of every kind is one InputError.

The YAML layer under it is tests/config/test_yaml_loader.py."""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast.config.fields import MAX_HORIZON_DAYS
from forecast.config.scenario import Scenario, load_scenario, parse_scenario
from forecast.config.yaml_loader import load_yaml
from forecast.design.inputs import check_scenario
from forecast.domain.record import load_dataset
from forecast.errors import InputError

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
# june-anniversary.yaml as plain data, read once for the parametrize lists and the strategies
# below and never edited: a test edits the ``june_raw`` fixture, or a copy of BASE per example.
BASE = load_yaml(ROOT / "scenarios" / "june-anniversary.yaml")


def rejects(data: object, source: str = "s.yaml") -> InputError:
    with pytest.raises(InputError) as info:
        parse_scenario(data, source)
    return info.value


def cross_rejects(data: dict, dataset, source: str = "s.yaml") -> InputError:
    """Valid for the schema, refused by the cross-check with the dataset."""
    scenario = parse_scenario(data, source)
    with pytest.raises(InputError) as info:
        check_scenario(scenario, dataset, source)
    return info.value


# --------------------------------------------------------------------------- shipped scenarios


def test_june_anniversary_is_among_the_shipped_scenarios(june_path):
    assert june_path in SCENARIOS


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenario_validates(path):
    scenario = load_scenario(path)
    assert isinstance(scenario, Scenario)
    assert scenario.name == path.stem
    # cross-checks with the scenario's own dataset pass too
    check_scenario(scenario, load_dataset(scenario.dataset), path)


@pytest.mark.parametrize(
    ("name", "dataset_name"), [("kim-trump-2026", "kim-trump"), ("kim-xi-2026", "kim-xi")]
)
def test_other_dyads_scenarios_validate_and_cross_check(name, dataset_name, scenarios_dir):
    path = scenarios_dir / f"{name}.yaml"
    assert path in SCENARIOS
    scenario = load_scenario(path)
    assert scenario.dataset == dataset_name
    assert scenario.ceasefire.assumption == "war_continues"  # the default: no ceasefire block
    assert check_scenario(scenario, load_dataset(dataset_name), path) == []  # and no warning
    # Against another dyad's data the same file is refused, naming the dataset.
    with pytest.raises(InputError) as info:
        check_scenario(scenario, load_dataset("kim-putin"), path)
    assert info.value.field == "dataset"
    assert info.value.message == f"the scenario names '{dataset_name}', the data are 'kim-putin'"


def test_a_scenario_without_dataset_is_kim_putin(june, june_raw):
    assert "dataset" not in june_raw
    assert june.dataset == "kim-putin"


# --------------------------------------------------------------------------- rejections


def _at(data: dict, path: tuple):
    for part in path:
        data = data[part]
    return data


def signals_on(*items):
    """A mutation listing scenario signals, with the signal terms on (they are opt-in)."""

    def mutate(d: dict) -> None:
        d["signals"] = list(items)
        d["model"] = {**(d.get("model") or {}), "signals": True}

    return mutate


def put(path: tuple, value):
    def mutate(d: dict) -> None:
        _at(d, path[:-1])[path[-1]] = value

    return mutate


def drop(path: tuple):
    def mutate(d: dict) -> None:
        del _at(d, path[:-1])[path[-1]]

    return mutate


def rename(path: tuple, new: str):
    def mutate(d: dict) -> None:
        parent = _at(d, path[:-1])
        parent[new] = parent.pop(path[-1])

    return mutate


def both(*mutations):
    def mutate(d: dict) -> None:
        for m in mutations:
            m(d)

    return mutate


IND0 = ("indicators", 0)
IND1 = ("indicators", 1)
SIGNAL = {
    "id": "visit-news",
    "date": "2025-05-10",
    "kind": "official_announcement_with_dates",
    "who": "Kremlin press service",
    "what": "Kim to visit Moscow on June 19-20",
    "source": "https://example.org/news",
    "travels": "dprk",
    "venue_class": "russian_capital",
    "window_start": "2025-06-19",
    "window_end": "2025-06-20",
}

SUMMIT = {
    "kind": "summit",
    "date": "2025-04-01",
    "venue_class": "dprk",
    "travelled": "russia",
    "source": "https://example.org/a",
}

# (id, mutation, expected .field, phrase expected in .message)
REJECTIONS = [
    # unknown keys, with a hint
    ("unknown-top-key", rename(("indicators",), "indicatorz"), "indicatorz",
     "did you mean 'indicators'"),
    ("unknown-nested-key", put((*IND0, "multiplierr"), [2, 6]),
     "indicators -> treaty_anniversary -> multiplierr",
     "did you mean 'multiplier'"),
    ("misspelt-required-key", rename((*IND0, "multiplier"), "multiplierr"),
     "indicators -> treaty_anniversary -> multiplierr", "did you mean 'multiplier'"),
    ("misspelt-as_of", rename(("as_of",), "as_off"), "as_off", "did you mean 'as_of'"),
    ("unknown-key-in-target", put((*IND0, "effect_on", "dayz_before"), 3),
     "indicators -> treaty_anniversary -> effect_on -> dayz_before", "did you mean 'days_before'"),
    ("unknown-key-in-sampler", put(("sampler", "drawz"), 10), "sampler -> drawz",
     "did you mean 'draws'"),
    ("unknown-key-in-judgment", put(("venues", "judgments", 1, "stated"), "x"),
     "venues -> judgments -> wartime_far_east -> stated", "did you mean"),
    ("unknown-key-no-hint", put(("zzzz",), 1), "zzzz", "expected one of: as_of"),
    # key allowed for another kind only: no hint pointing back at the same key
    ("key-of-other-event-kind", put(("events",), [dict(SUMMIT, person="Shoigu")]),
     "events -> #1 -> person", "unknown key; expected one of: date, kind"),
    ("key-of-occasion-on-factor", put((*IND1, "effect_on", "days_before"), 3),
     "indicators -> exchange_momentum -> effect_on -> days_before",
     "unknown key; expected one of: kind"),
    # missing and wrong types
    ("missing-question", drop(("question",)), "question", "missing required field"),
    ("missing-windows", drop(("windows",)), "windows", "missing required field"),
    ("name-not-slug", put(("name",), "June Anniversary"), "name", "lower-case letters"),
    ("name-int", put(("name",), 5), "name", "valid string"),
    ("question-empty", put(("question",), ""), "question", "at least 1 character"),
    ("schema-version", put(("schema_version",), 2), "schema_version", "expected 1"),
    ("confidence-word", put((*IND0, "confidence"), "high"),
     "indicators -> treaty_anniversary -> confidence",
     "expected a number"),
    ("draws-fraction", put(("sampler", "draws"), 100.5), "sampler -> draws", "valid integer"),
    ("multiplier-text", put((*IND0, "multiplier"), "2-6"),
     "indicators -> treaty_anniversary -> multiplier",
     "valid tuple"),
    ("multiplier-three", put((*IND0, "multiplier"), [1, 2, 3]),
     "indicators -> treaty_anniversary -> multiplier",
     "at most 2 items"),
    # a list where a mapping belongs, and the reverse
    ("ceasefire-list", put(("ceasefire",), ["war_continues"]), "ceasefire", "valid dictionary"),
    ("window-list", put(("windows", 0), ["a", "2025-06-01"]), "windows -> #1", "valid dictionary"),
    ("venues-list", put(("venues",), []), "venues", "valid dictionary"),
    ("windows-mapping", put(("windows",), {"a": {"start": "2025-06-01"}}), "windows",
     "valid list"),
    ("indicators-mapping", put(("indicators",), {"id": "x"}), "indicators", "valid list"),
    ("windows-empty", put(("windows",), []), "windows", "at least 1 item"),
    # dates
    ("impossible-date", put(("as_of",), "2025-02-30"), "as_of",
     "expected a real date as YYYY-MM-DD (got '2025-02-30')"),
    ("month-13", put(("horizon_end",), "2025-13-01"), "horizon_end", "expected a real date"),
    ("date-not-padded", put(("as_of",), "2025-5-12"), "as_of", "YYYY-MM-DD"),
    ("date-as-number", put(("as_of",), 20250512), "as_of", "YYYY-MM-DD (got 20250512)"),
    ("date-with-time", put(("as_of",), "2025-05-12T10:00:00"), "as_of", "YYYY-MM-DD"),
    ("window-impossible-date", put(("windows", 1, "end"), "2025-06-31"),
     "windows -> June 2025 -> end",
     "expected a real date"),
    ("horizon-before-as_of", put(("horizon_end",), "2025-05-01"), "horizon_end",
     "expected a date after as_of 2025-05-12"),
    ("horizon-equals-as_of", put(("horizon_end",), "2025-05-12"), "horizon_end",
     "expected a date after as_of"),
    ("horizon-too-long", put(("horizon_end",), "2031-01-01"), "horizon_end", "at most 5 years"),
    ("window-after-horizon", put(("windows", 0, "end"), "2026-01-05"),
     "windows -> treaty anniversary (Jun 5 – Jul 3)",
     "inside the horizon"),
    ("window-on-as_of", put(("windows", 1, "start"), "2025-05-12"), "windows -> June 2025",
     "inside the horizon"),
    ("window-inverted", both(put(("windows", 2, "start"), "2025-09-15"),
                             put(("windows", 2, "end"), "2025-08-25")),
     "windows -> Eastern Economic Forum season (Aug 25 – Sep 15)", "expected start <= end"),
    ("duplicate-window-name", put(("windows", 1, "name"), BASE["windows"][0]["name"]),
     "windows -> #2 -> name", "duplicate name"),  # two items share the name: by position
    # multipliers and other absurd values
    ("multiplier-negative", put((*IND0, "multiplier"), [-2, 6]),
     "indicators -> treaty_anniversary -> multiplier",
     "between 0.001 and 1000"),
    ("multiplier-zero", put((*IND0, "multiplier"), [0, 6]),
     "indicators -> treaty_anniversary -> multiplier",
     "between 0.001 and 1000"),
    ("multiplier-inverted", put((*IND0, "multiplier"), [6, 2]),
     "indicators -> treaty_anniversary -> multiplier",
     "low < high"),
    ("multiplier-equal", put((*IND0, "multiplier"), [2, 2]),
     "indicators -> treaty_anniversary -> multiplier",
     "low < high"),
    ("multiplier-huge", put((*IND0, "multiplier"), [2, 1e9]),
     "indicators -> treaty_anniversary -> multiplier",
     "between 0.001 and 1000"),
    ("multiplier-inf", put((*IND0, "multiplier"), [2, float("inf")]),
     "indicators -> treaty_anniversary -> multiplier", "between 0.001 and 1000"),
    ("multiplier-nan", put((*IND0, "multiplier"), [float("nan"), 2]),
     "indicators -> treaty_anniversary -> multiplier", "between 0.001 and 1000"),
    ("judgment-multiplier-inverted", put(("venues", "judgments", 0, "multiplier"), [5, 1.5]),
     "venues -> judgments -> kim_to_russia -> multiplier", "low < high"),
    ("confidence-5", put((*IND0, "confidence"), 5),
     "indicators -> treaty_anniversary -> confidence",
     "less than or equal to 0.99"),
    ("confidence-low", put((*IND0, "confidence"), 0.2),
     "indicators -> treaty_anniversary -> confidence",
     "greater than or equal to 0.5"),
    ("confidence-nan", put((*IND0, "confidence"), float("nan")),
     "indicators -> treaty_anniversary -> confidence",
     ""),
    ("draws-negative", put(("sampler", "draws"), -3), "sampler -> draws",
     "greater than or equal to 10"),
    ("chains-absurd", put(("sampler", "chains"), 1000), "sampler -> chains",
     "less than or equal to 16"),
    ("seed-negative", put(("sampler", "seed"), -1), "sampler -> seed", "greater than or equal"),
    ("days-before-absurd", put((*IND0, "effect_on", "days_before"), 1000),
     "indicators -> treaty_anniversary -> effect_on -> days_before", "less than or equal to 90"),
    ("min-gap-zero", put(("model",), {"min_gap_days": 0}), "model -> min_gap_days",
     "greater than or equal to 1"),
    # closed vocabularies
    ("indicator-kind-missing", put((*IND1, "effect_on"), {}),
     "indicators -> exchange_momentum -> effect_on -> kind", "missing required field"),
    ("indicator-kind-not-slug", put((*IND1, "effect_on", "kind"), "Momentum!"),
     "indicators -> exchange_momentum -> effect_on -> kind", "lower-case letters"),
    ("occasion-not-slug", put((*IND0, "effect_on", "occasions"), ["Treaty Day"]),
     "indicators -> treaty_anniversary -> effect_on -> occasions -> #1", "lower-case letters"),
    ("occasions-empty", put((*IND0, "effect_on", "occasions"), []),
     "indicators -> treaty_anniversary -> effect_on -> occasions", "at least 1 item"),
    ("factor-stated-twice", put(("indicators", 2, "effect_on", "kind"), "exchanges"),
     "indicators -> victory_day_skip -> effect_on -> kind", "already stated by indicator 1"),
    ("duplicate-indicator-id", put((*IND1, "id"), "treaty_anniversary"), "indicators -> #2 -> id",
     "duplicate id 'treaty_anniversary'"),
    ("ceasefire-assumption", put(("ceasefire", "assumption"), "peace"),
     "ceasefire -> assumption", "expected 'war_continues', 'ceasefire' or 'uncertain'"),
    ("ceasefire-without-start", put(("ceasefire", "assumption"), "ceasefire"), "ceasefire",
     "expected a 'start' date"),
    ("ceasefire-start-outside", put(("ceasefire",), {"assumption": "ceasefire",
                                                     "start": "2026-06-01"}),
     "ceasefire -> start", "after as_of and on or before horizon_end"),
    ("ceasefire-start-on-as-of", put(("ceasefire",), {"assumption": "ceasefire",
                                                      "start": "2025-05-12"}),
     "ceasefire -> start", "the assumption is about the horizon only"),
    ("chains-bool", put(("sampler", "chains"), True), "sampler -> chains", "valid integer"),
    ("draws-text", put(("sampler", "draws"), "100"), "sampler -> draws", "valid integer"),
    ("date-number", put(("horizon_end",), 1767139200), "horizon_end", "YYYY-MM-DD"),
    ("multiplier-bool", put((*IND0, "multiplier"), [True, 3]),
     "indicators -> treaty_anniversary -> multiplier -> #1",
     "expected a number"),
    ("venue-missing", put(("venues", "judgments", 0, "effect_on"), {"kind": "venue"}),
     "venues -> judgments -> kim_to_russia -> effect_on", "expected 'venue' naming a venue class"),
    ("venue-on-other-kind", put(("venues", "judgments", 0, "effect_on"),
                                {"kind": "host_turn", "venue": "russian_far_east"}),
     "venues -> judgments -> kim_to_russia -> effect_on",
     "'venue' is only allowed when kind is 'venue'"),
    ("event-kind", put(("events",), [{"kind": "party"}]), "events -> #1", "unknown kind 'party'"),
    ("event-bad-date", put(("events",), [dict(SUMMIT, date="2025-02-29")]),
     "events -> #1 -> date", "expected a real date"),
    ("event-venue-not-slug", put(("events",), [dict(SUMMIT, venue_class="Moon Base")]),
     "events -> #1 -> venue_class", "lower-case letters"),
    ("event-exchange-inverted", put(("events",), [{
        "kind": "exchange", "start": "2025-03-05", "end": "2025-03-01", "person": "Shoigu",
        "role": "Security Council secretary", "rank": "M1", "direction": "to_dprk",
        "source": "https://example.org/b"}]),
     "events -> #1", "expected start <= end"),
    ("signal-after-as-of", put(("signals",), [dict(SIGNAL, date="2025-05-13")]),
     "signals -> visit-news -> date", "expected a date on or before as_of 2025-05-12"),
    ("signal-kind", put(("signals",), [dict(SIGNAL, kind="rumour")]),
     "signals -> visit-news -> kind", "'media_report_citing_sources'"),
    ("signal-no-window", put(("signals",), [{k: v for k, v in SIGNAL.items()
                                              if k != "window_end"}]),
     "signals -> visit-news", "expected a 'window_end'"),
    ("signal-window-inverted", put(("signals",), [dict(SIGNAL, window_start="2025-06-21")]),
     "signals -> visit-news", "expected window_start <= window_end"),
    ("signal-time-frame-and-window", put(("signals",), [dict(SIGNAL,
                                                            time_frame="in the coming days")]),
     "signals -> visit-news", "expected either time_frame ('in the coming days') or "
     "window_start/window_end, not both"),
    ("signal-time-frame-unknown", put(("signals",), [{
        **{k: v for k, v in SIGNAL.items() if not k.startswith("window")},
        "time_frame": "soon"}]),
     "signals -> visit-news -> time_frame", "'in the coming days'"),
    ("signal-no-source", put(("signals",), [{k: v for k, v in SIGNAL.items() if k != "source"}]),
     "signals -> visit-news -> source", "missing"),
    ("signal-reliability", put(("signals",), [dict(SIGNAL, reliability=5)]),
     "signals -> visit-news -> reliability", "less than or equal to 2"),
    ("signal-cancellation-for", put(("signals",), [dict(SIGNAL, kind="cancellation",
                                                        stance="for")]),
     "signals -> visit-news", "expected stance 'against' or 'neutral'"),
    ("window-signal-and-dates", put(("windows", 0, "signal"), "visit-news"),
     "windows -> treaty anniversary (Jun 5 – Jul 3)",
     "expected either 'signal' or 'start' and 'end'"),
    ("signal-duplicate", put(("signals",), [SIGNAL, SIGNAL]),
     "signals -> #2 -> id", "duplicate id 'visit-news'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "field", "phrase"),
    [pytest.param(m, f, p, id=i) for i, m, f, p in REJECTIONS],
)
def test_rejects(mutate, field, phrase, june_raw):
    data = june_raw
    mutate(data)
    err = rejects(data)
    assert err.file == "s.yaml"
    assert err.field == field
    assert phrase in err.message
    line = str(err)
    assert line.startswith(f"s.yaml: {field}: ")
    assert "\n" not in line
    assert len(line) < 300


# Names that only the dataset's dyad can tell apart (venue classes, sides, term kinds): the
# schema takes any slug, check_scenario refuses what the dyad does not declare, in one line
# naming the field (by item id where the file has one) and what was expected.
# (id, mutation, expected .field, phrase expected in .message)
JUDGMENT0 = ("venues", "judgments", 0)
CROSS_REJECTIONS = [
    ("indicator-kind", put((*IND1, "effect_on", "kind"), "momentum"),
     "indicators -> exchange_momentum -> effect_on -> kind",
     "unknown term of dataset kim-putin: 'momentum'; expected one of exchanges, "
     "since_last_summit, war, ceasefire, border_closure, scheduled_occasions, anniversaries"),
    ("indicator-kind-venue-term", put((*IND1, "effect_on", "kind"), "host_turn"),
     "indicators -> exchange_momentum -> effect_on -> kind",
     "unknown term of dataset kim-putin: 'host_turn'; expected one of exchanges"),
    ("venue-class", put((*JUDGMENT0, "effect_on"), {"kind": "venue", "venue": "moon"}),
     "venues -> judgments -> kim_to_russia -> effect_on -> venue",
     "unknown venue of dataset kim-putin: 'moon'; expected one of russian_capital, "
     "russian_far_east, russia_other, third_country"),
    ("venue-against-dprk", put((*JUDGMENT0, "effect_on"), {"kind": "venue", "venue": "dprk"}),
     "venues -> judgments -> kim_to_russia -> effect_on -> venue",
     "expected a venue class other than 'dprk' (odds are stated against a summit there): "
     "one of russian_capital, russian_far_east, russia_other, third_country"),
    ("venue-effect-kind", put((*JUDGMENT0, "effect_on", "kind"), "vibes"),
     "venues -> judgments -> kim_to_russia -> effect_on -> kind",
     "unknown venue effect of dataset kim-putin: 'vibes'; expected one of venue, host_turn, "
     "wartime_travel, occasion_venue"),
    ("event-venue", put(("events",), [dict(SUMMIT, venue_class="moon")]),
     "events -> #1 -> venue_class",
     "unknown venue class of dataset kim-putin: 'moon'; expected one of dprk, russian_capital, "
     "russian_far_east, russia_other, third_country"),
    ("event-travelled", put(("events",), [dict(SUMMIT, travelled="china")]),
     "events -> #1 -> travelled", "unknown side of dataset kim-putin: 'china'"),
    ("event-direction", put(("events",), [{
        "kind": "exchange", "start": "2025-03-05", "person": "Wang Yi", "role": "FM",
        "rank": "M1", "direction": "to_china", "source": "https://example.org/b"}]),
     "events -> #1 -> direction", "unknown direction of dataset kim-putin: 'to_china'"),
    ("occasion-event-venue", put(("events",), [{
        "kind": "occasion", "id": "forum", "name": "A forum", "start": "2025-10-01",
        "end": "2025-10-02", "venue_class": "beijing", "announced_on": "2025-05-01",
        "source": "https://example.org/c"}]),
     "events -> forum -> venue_class", "unknown venue class of dataset kim-putin: 'beijing'"),
    ("signal-travels", signals_on(dict(SIGNAL, travels="rusia")),
     "signals -> visit-news -> travels", "did you mean 'russia'?"),
    ("signal-venue", signals_on(dict(SIGNAL, venue_class="moscow")),
     "signals -> visit-news -> venue_class", "unknown venue class of dataset kim-putin"),
    ("signal-id-of-the-dataset", signals_on(dict(SIGNAL, id="2025-05-06-denial")),
     "signals -> 2025-05-06-denial -> id", "already has a signal '2025-05-06-denial'"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "field", "phrase"),
    [pytest.param(m, f, p, id=i) for i, m, f, p in CROSS_REJECTIONS],
)
def test_cross_check_rejects(dataset, mutate, field, phrase, june_raw):
    data = june_raw
    mutate(data)
    err = cross_rejects(data, dataset)
    assert err.file == "s.yaml"
    assert err.field == field
    assert phrase in err.message
    line = str(err)
    assert line.startswith(f"s.yaml: {field}: ")
    assert "\n" not in line
    assert len(line) < 300


KIM_TRUMP = ROOT / "scenarios" / "kim-trump-2026.yaml"


def kim_trump_dict() -> dict:
    return copy.deepcopy(load_yaml(KIM_TRUMP))


def test_ceasefire_block_in_a_kim_trump_scenario_is_refused(june_raw):
    data = kim_trump_dict()
    data["ceasefire"] = {"assumption": "ceasefire", "start": "2026-06-01"}
    err = cross_rejects(data, load_dataset("kim-trump"), str(KIM_TRUMP))
    assert err.file == str(KIM_TRUMP)
    assert err.field == "ceasefire -> assumption"
    assert err.message == (
        "dataset kim-trump has no war or ceasefire term; expected 'war_continues' or no 'ceasefire'"
    )
    assert "\n" not in str(err)
    # The same block is fine where the dyad has the war and ceasefire terms.
    data = june_raw
    data["ceasefire"] = {"assumption": "ceasefire", "start": "2025-08-01"}
    assert check_scenario(parse_scenario(data, "s.yaml"), load_dataset("kim-putin"), "s.yaml") == []


JUDGMENT_KT = ("venues", "judgments", 0)
STATED = copy.deepcopy(BASE["indicators"][0])  # a well-formed statement to retarget
KIM_TRUMP_REJECTIONS = [
    ("war-term", lambda d: d["indicators"].append(
        dict(STATED, id="war_effect", effect_on={"kind": "war"})),
     "indicators -> war_effect -> effect_on -> kind",
     "unknown term of dataset kim-trump: 'war'; expected one of exchanges, since_last_summit, "
     "border_closure"),
    ("host-turn", put((*JUDGMENT_KT, "effect_on"), {"kind": "host_turn"}),
     "venues -> judgments -> panmunjom_likeliest -> effect_on -> kind",
     "unknown venue effect of dataset kim-trump: 'host_turn'; expected one of venue"),
    ("kim-putin-venue", put((*JUDGMENT_KT, "effect_on"), {"kind": "venue",
                                                          "venue": "russian_far_east"}),
     "venues -> judgments -> panmunjom_likeliest -> effect_on -> venue",
     "unknown venue of dataset kim-trump: 'russian_far_east'; expected one of united_states, "
     "korean_dmz, third_country"),
    ("home-venue", put((*JUDGMENT_KT, "effect_on"), {"kind": "venue", "venue": "dprk"}),
     "venues -> judgments -> panmunjom_likeliest -> effect_on -> venue",
     "expected a venue class other than 'dprk'"),
    ("event-side", put(("events",), [dict(SUMMIT, venue_class="korean_dmz", date="2026-01-10")]),
     "events -> #1 -> travelled", "unknown side of dataset kim-trump: 'russia'"),
    ("no-occasions", lambda d: d["indicators"].append(dict(
        STATED, id="anniv",
        effect_on={"kind": "occasion", "occasions": ["treaty_anniversary"]})),
     "indicators -> anniv -> effect_on -> occasions -> #1",
     "unknown occasion 'treaty_anniversary'; dataset kim-trump has no occasions"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "field", "phrase"),
    [pytest.param(m, f, p, id=i) for i, m, f, p in KIM_TRUMP_REJECTIONS],
)
def test_kim_trump_cross_check_rejects(mutate, field, phrase):
    data = kim_trump_dict()
    mutate(data)
    err = cross_rejects(data, load_dataset("kim-trump"))
    assert err.field == field
    assert phrase in err.message
    assert str(err).startswith(f"s.yaml: {field}: ")
    assert "\n" not in str(err) and len(str(err)) < 300


def test_unknown_key_hint_is_not_the_rejected_key_itself(june_raw):
    data = june_raw
    data["events"] = [dict(SUMMIT, start="2025-04-01")]  # 'start' belongs to exchanges
    err = rejects(data)
    assert err.field == "events -> #1 -> start"
    assert "did you mean 'start'" not in err.message


@pytest.mark.parametrize(
    ("data", "got"),
    [(None, "an empty file"), ([], "a list"), ([BASE], "a list"), ("text", "a str"), (3, "a int")],
    ids=["none", "empty-list", "list", "str", "int"],
)
def test_top_level_must_be_a_mapping(data, got):
    err = rejects(data)
    assert err.field is None
    assert err.message == f"expected a mapping of scenario keys, got {got}"


def test_several_problems_are_all_listed_on_one_line(june_raw):
    data = june_raw
    data["as_of"] = "2025-02-30"
    data["sampler"]["draws"] = -3
    err = rejects(data)
    assert err.field == "as_of"
    assert err.message == (
        "expected a real date as YYYY-MM-DD (got '2025-02-30'); also sampler -> draws: input "
        "should be greater than or equal to 10"
    )


def test_up_to_ten_problems_are_listed_then_counted(june_raw):
    data = june_raw
    for ind in data["indicators"]:
        ind["confidence"] = 5
    for j in data["venues"]["judgments"]:
        j["confidence"] = 5
    data["sampler"].update(draws=-1, tune=-1, chains=99, seed=-1, target_accept=2)
    data["model"] = {"min_gap_days": 0, "anniversary_window_days": -1}
    err = rejects(data)  # 3 + 2 confidences, 5 sampler settings, 2 model settings: 12
    shown = [err.field, *(p.split(": ")[0] for p in err.message.split("; also ")[1].split("; "))]
    assert len(shown) == 10 and len(set(shown)) == 10
    assert shown[0] == "indicators -> treaty_anniversary -> confidence"
    assert "venues -> judgments -> kim_to_russia -> confidence" in shown
    assert err.message.endswith(" (and 2 more problems)")
    assert "\n" not in str(err)


def test_large_bad_values_are_shortened(june_raw):
    data = copy.deepcopy(june_raw)
    data["ceasefire"] = data["indicators"]  # a list of big mappings where a mapping belongs
    err = rejects(data)
    assert err.field == "ceasefire"
    assert len(str(err)) < 200
    data = june_raw
    data["ceasefire"]["assumption"] = "x" * 5000
    assert len(str(rejects(data))) < 200


def test_key_with_a_newline_stays_on_one_line(june_raw):
    data = june_raw
    data["a\nb"] = 1
    err = rejects(data)
    assert "\n" not in str(err)
    assert err.field == repr("a\nb")


# --------------------------------------------------------------------------- cross-checks


def test_unknown_occasion_gets_a_hint(dataset, june_raw):
    data = june_raw
    data["indicators"][0]["effect_on"]["occasions"] = ["treaty_aniversary"]
    scenario = parse_scenario(data, "s.yaml")
    with pytest.raises(InputError) as info:
        check_scenario(scenario, dataset, "s.yaml")
    assert info.value.field == "indicators -> treaty_anniversary -> effect_on -> occasions -> #1"
    assert "did you mean 'treaty_anniversary'" in info.value.message


def test_unknown_occasion_without_a_close_match_lists_the_known_ones(dataset, june_raw):
    data = june_raw
    data["indicators"][0]["effect_on"]["occasions"] = ["zzzzzz"]
    with pytest.raises(InputError) as info:
        check_scenario(parse_scenario(data, "s.yaml"), dataset, "s.yaml")
    assert "expected one of" in info.value.message
    assert "treaty_anniversary" in info.value.message


def test_occasion_of_a_scenario_event_is_known(dataset, june_raw):
    data = june_raw
    data["events"] = [
        {
            "kind": "occasion",
            "id": "vladivostok_forum_extra",
            "name": "An extra forum",
            "start": "2025-10-01",
            "end": "2025-10-02",
            "venue_class": "russian_far_east",
            "announced_on": "2025-05-01",
            "source": "https://example.org/c",
        }
    ]
    data["indicators"][0]["effect_on"]["occasions"] = ["vladivostok_forum_extra"]
    check_scenario(parse_scenario(data, "s.yaml"), dataset, "s.yaml")


def test_occasion_claimed_by_two_indicators(dataset, june_raw):
    data = june_raw
    second = copy.deepcopy(data["indicators"][0])
    second["id"] = "treaty_again"
    data["indicators"].append(second)
    with pytest.raises(InputError, match="already used by indicator 'treaty_anniversary'") as info:
        check_scenario(parse_scenario(data, "s.yaml"), dataset, "s.yaml")
    assert info.value.field == "indicators -> treaty_again -> effect_on -> occasions"


def test_as_of_before_the_dataset(dataset, june_raw):
    data = june_raw
    data.update(as_of="2005-01-01", horizon_end="2005-12-31")
    data["windows"] = [{"name": "w", "start": "2005-06-01", "end": "2005-06-30"}]
    with pytest.raises(InputError, match="on or after the dataset's start") as info:
        check_scenario(parse_scenario(data, "s.yaml"), dataset, "s.yaml")
    assert info.value.field == "as_of"


# --------------------------------------------------------------------------- properties

# Keys the schema knows, mixed with any text, so that the data gets past the first level at times.
KEYS = sorted({*BASE, "start", "end", "kind", "occasions", "multiplier", "confidence", "draws"})
json_like = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), children, max_size=5)
    ),
    max_leaves=25,
)


def _paths(data, prefix=()):
    yield prefix
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _paths(v, (*prefix, i))


PATHS = [p for p in _paths(BASE) if p]


def _returns_scenario_or_input_error(data) -> None:
    try:
        result = parse_scenario(data, "s.yaml")
    except InputError as err:
        assert err.file == "s.yaml"
        assert err.field is None or isinstance(err.field, str)
        assert err.message
        assert "\n" not in str(err)
    else:
        assert isinstance(result, Scenario)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(json_like)
def test_arbitrary_data_gives_a_scenario_or_an_input_error(data):
    _returns_scenario_or_input_error(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(PATHS), json_like)
def test_arbitrary_value_anywhere_in_a_valid_scenario(path, value):
    data = copy.deepcopy(BASE)
    _at(data, path[:-1])[path[-1]] = value
    _returns_scenario_or_input_error(data)


DAY0 = date(2024, 1, 1)
days = st.integers(min_value=0, max_value=8 * 366).map(lambda n: DAY0 + timedelta(days=n))


@settings(max_examples=300, deadline=None)
@given(as_of=days, horizon_end=days, start=days, end=days)
def test_dates_validate_exactly_when_they_are_ordered(as_of, horizon_end, start, end):
    data = copy.deepcopy(BASE)
    data.update(as_of=as_of.isoformat(), horizon_end=horizon_end.isoformat())
    data["windows"] = [{"name": "w", "start": start.isoformat(), "end": end.isoformat()}]
    # The order in which the schema checks: each window, then the horizon, then the windows in it.
    if end < start:
        expected = ("windows -> w", "expected start <= end")
    elif horizon_end <= as_of:
        expected = ("horizon_end", "expected a date after as_of")
    elif (horizon_end - as_of).days > MAX_HORIZON_DAYS:
        expected = ("horizon_end", "at most 5 years")
    elif start <= as_of or end > horizon_end:
        expected = ("windows -> w", "inside the horizon")
    else:
        expected = None
    if expected is None:
        scenario = parse_scenario(data, "s.yaml")
        assert scenario.as_of < scenario.windows[0].start <= scenario.windows[0].end
        assert scenario.windows[0].end <= scenario.horizon_end
    else:
        err = rejects(data)
        assert err.field == expected[0]
        assert expected[1] in err.message


@settings(max_examples=100, deadline=None)
@given(
    year=st.integers(min_value=2024, max_value=2026),
    month=st.integers(min_value=1, max_value=12),
    day=st.integers(min_value=1, max_value=31),
)
def test_calendar_dates_are_checked(year, month, day):
    text = f"{year}-{month:02d}-{day:02d}"
    data = copy.deepcopy(BASE)
    data["windows"][0]["end"] = text
    try:
        real = date(year, month, day)
    except ValueError:
        err = rejects(data)
        assert err.field == "windows -> treaty anniversary (Jun 5 – Jul 3) -> end"
        assert err.message == f"expected a real date as YYYY-MM-DD (got '{text}')"
        return
    try:
        parse_scenario(data, "s.yaml")
    except InputError as err:
        assert err.field == "windows -> treaty anniversary (Jun 5 – Jul 3)"
        assert real < date(2025, 6, 5) or real > date(2025, 12, 31)


def test_a_misspelt_required_key_counts_as_one_problem(june_raw):
    data = june_raw
    data["indicators"][0]["multiplierr"] = data["indicators"][0].pop("multiplier")
    err = rejects(data)
    assert err.message == "unknown key; did you mean 'multiplier'?"
    data["sampler"]["draws"] = -3  # a second, unrelated problem is still listed
    assert rejects(data).message == (
        "unknown key; did you mean 'multiplier'?; also sampler -> draws: input should be "
        "greater than or equal to 10"
    )


def test_scenario_signals_need_the_signal_terms_on(june_raw):
    june_raw["signals"] = [SIGNAL]
    err = rejects(june_raw)
    assert err.field == "signals" and "set 'model: {signals: true}'" in err.message


def test_a_scenario_signal_may_state_its_time_frame_in_words(june_raw):
    entry = {k: v for k, v in SIGNAL.items() if not k.startswith("window")}
    entry.update(kind="media_report_citing_sources", time_frame="in the coming weeks")
    june_raw["signals"] = [entry]
    june_raw["model"] = {"signals": True}
    (sig,) = parse_scenario(june_raw, "s.yaml").signals
    assert (sig.window_start, sig.window_end) == (None, date(2025, 6, 7))  # 28 days after May 10
