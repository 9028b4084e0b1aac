"""forecast.json as a typed document (forecast.io.document) and the JSON Schemas of the scenario
and the forecast document (forecast.io.schemas). No sampling, no PyMC: well under a second."""

from __future__ import annotations

import copy
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from forecast.config.yaml_loader import load_yaml
from forecast.errors import InputError
from forecast.io.document import (
    FORECAST_SCHEMA,
    ForecastDocument,
    parse_document,
    pydantic_error_to_input_error,
    read_document,
)
from forecast.io.schemas import (
    FILES,
    NUMERIC_TEXT,
    dumps,
    forecast_schema,
    scenario_schema,
    write_schemas,
)

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
# A real forecast.json of june-anniversary, written by `forecast run` and committed.
EXAMPLE = ROOT / "tests" / "data" / "forecast-june-anniversary.json"
needs_example = pytest.mark.skipif(not EXAMPLE.is_file(), reason="the committed example is missing")

# --------------------------------------------------------------------------- a small document

AS_OF, HORIZON_END = date(2025, 5, 12), date(2025, 7, 31)
VENUES = ("dprk", "russian_capital", "russian_far_east", "russia_other", "third_country")
SHARES = (0.25, 0.125, 0.5, 0.0625, 0.0625)  # sum to exactly 1
FIRST = "treaty anniversary (Jun 5 – Jul 3)"


def _summary(p: float) -> dict:
    return {"p": p, "lo": p / 2, "hi": min(1.0, 2 * p)}


def _mix() -> list[dict]:
    return [{"venue": v, **_summary(s)} for v, s in zip(VENUES, SHARES, strict=True)]


def _effect(group: str, name: str, origin: str) -> dict:
    stated = origin == "stated"
    return {
        "group": group,
        "name": name,
        "label": f"label of {name}",
        "origin": origin,
        "stated_by": "an analyst" if stated else None,
        "source": "https://example.org/a" if stated else None,
        "stated_range": [2.0, 6.0],
        "confidence": 0.8,
        "prior_log_mu": 1.2424533248940002,
        "prior_log_sigma": 0.4286,
        "posterior_multiplier": {"p50": 3.1, "lo": 1.9, "hi": 5.2},
    }


def _document() -> dict:
    """A valid forecast.json for an 80-day horizon, shaped like today's files."""
    days = (HORIZON_END - AS_OF).days
    by_date = [
        {"date": (AS_OF + timedelta(days=t + 1)).isoformat(), **_summary(0.004 * (t + 1))}
        for t in range(days)
    ]
    windows = [
        {"name": FIRST, "start": "2025-06-05", "end": "2025-07-03", **_summary(0.125)},
        {"name": "June 2025", "start": "2025-06-01", "end": "2025-06-30", **_summary(0.0625)},
    ]
    for w in windows:
        w.update(p_none_before=0.9, venues=_mix())
    return {
        "schema": FORECAST_SCHEMA,
        "scenario": "june-anniversary",
        "question": "Will they meet around the treaty's anniversary, and where?",
        "as_of": AS_OF.isoformat(),
        "horizon_end": HORIZON_END.isoformat(),
        "ceasefire": {"assumption": "war_continues", "start": None},
        "headline": {
            "by_horizon_end": {k: by_date[-1][k] for k in ("p", "lo", "hi")},
            "first_window": {k: windows[0][k] for k in ("name", "p", "lo", "hi")},
        },
        "median_date": None,
        "date_quantiles": {"q10": "2025-06-06", "q90": None},
        "by_date": by_date,
        "by_month": [
            {"month": "2025-05", **_summary(0.0625)},
            {"month": "2025-06", **_summary(0.125)},
            {"month": "2025-07", **_summary(0.125)},
        ],
        "windows": windows,
        "venues": _mix(),
        "last_summit": {
            "date": "2024-06-19",
            "venue_class": "dprk",
            "site": "Kumsusan guesthouse, Pyongyang",
        },
        "effects": [
            _effect("timing", "baseline", "default"),
            _effect("timing", "occasion:treaty_anniversary", "stated"),
            _effect("venue", "host_turn", "stated"),
        ],
        "diagnostics": {
            "rhat_max": 1.0021,
            "ess_bulk_min": 3723.1,
            "ess_tail_min": 2877.5,
            "divergences": 0,
            "chains": 4,
            "draws": 1000,
            "sampling_seconds": 54.025,
            "problems": [],
        },
        "sampler": {
            "draws": 1000,
            "tune": 1000,
            "chains": 4,
            "seed": 20250512,
            "target_accept": 0.9,
        },
        "data": {
            "coverage_start": "2012-01-01",
            "coverage_end": "2026-02-26",
            "summits_in_fit": 3,
            "venue_summits": 7,
            "exchanges_known": 25,
            "segments": 508,
        },
        "assumptions": ["Eastern Economic Forum, Vladivostok 2025 assumed on Sep 03–Sep 06"],
        "warnings": [],
        "stamp": {"version": "0.1.0", "scenario_sha256": "ab" * 32, "data_sha256": "c4" * 32},
    }


def _write(tmp_path: Path, doc: dict | list) -> Path:
    path = tmp_path / "forecast.json"
    path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def _refused(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_document(path)
    err = info.value
    assert err.file == str(path)
    assert "\n" not in str(err), str(err)
    return err


# --------------------------------------------------------------------------- round trips


@needs_example
def test_real_file_round_trips_byte_for_byte():
    text = EXAMPLE.read_text(encoding="utf-8")
    doc = read_document(EXAMPLE)
    assert json.loads(doc.to_json()) == json.loads(text)
    assert doc.to_json() == text  # same key order, number spelling, indent and final newline
    assert isinstance(doc.as_of, date) and doc.by_date[-1].date == doc.horizon_end
    assert doc.headline.by_horizon_end.p == doc.by_date[-1].p


def test_small_document_round_trips():
    raw = _document()
    doc = ForecastDocument.from_dict(raw)
    assert doc.to_dict() == raw
    assert json.loads(doc.to_json()) == raw
    assert doc.to_json().endswith("}\n") and "–" in doc.to_json()  # ensure_ascii=False
    assert doc.schema_id == FORECAST_SCHEMA and doc.windows[0].start == date(2025, 6, 5)
    with pytest.raises(ValidationError):  # frozen
        doc.scenario = "other"  # type: ignore[misc]


def test_one_chain_rhat_is_null_and_stays_null():
    raw = _document()
    raw["diagnostics"].update(rhat_max=None, chains=1)
    doc = ForecastDocument.from_dict(raw)
    assert doc.diagnostics.rhat_max is None
    assert json.loads(doc.to_json())["diagnostics"]["rhat_max"] is None


def test_optional_additions_validate_and_are_left_out_when_absent():
    raw = _document()
    assert "dyad" not in ForecastDocument.from_dict(raw).to_dict()
    assert "backend" not in ForecastDocument.from_dict(raw).to_dict()["sampler"]
    raw["dataset"] = "kim-putin"
    raw["dyad"] = {
        "leaders": ["Kim Jong Un", "Vladimir Putin"],
        "pair": "Kim–Putin",
        "venue_labels": {v: v.replace("_", " ") for v in VENUES},
    }
    raw["sampler"]["backend"] = "nutpie"
    doc = ForecastDocument.from_dict(raw)
    assert doc.dyad.leaders == ("Kim Jong Un", "Vladimir Putin")
    assert doc.sampler.backend == "nutpie"
    assert doc.to_dict() == raw
    assert list(doc.to_dict())[:8] == [
        "schema", "scenario", "question", "as_of", "horizon_end", "dataset", "dyad", "ceasefire",
    ]  # fmt: skip
    raw["dyad"]["venue_labels"].pop("dprk")
    with pytest.raises(ValidationError, match="dyad.venue_labels"):
        ForecastDocument.from_dict(raw)


def test_a_dyad_without_a_war_term_has_a_null_ceasefire():
    raw = _document()
    raw["ceasefire"] = None
    assert ForecastDocument.from_dict(raw).ceasefire is None


# --------------------------------------------------------------------------- refusals


def _set(*path_and_value):
    *path, value = path_and_value

    def mutate(doc: dict) -> None:
        node = doc
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _drop(key):
    return lambda doc: doc.pop(key)


REFUSED = [
    # (id, change to the valid document, field, start of the message)
    ("probability-1.5", _set("windows", 0, "p", 1.5), f"windows -> {FIRST} -> p",
     "expected a probability between 0 and 1 (got 1.5)"),
    ("nan-in-by_date", _set("by_date", 3, "p", float("nan")), "by_date -> 2025-05-16 -> p",
     "expected a finite number (got NaN)"),
    ("no-headline", _drop("headline"), "headline", "missing required field"),
    ("empty-by_date", _set("by_date", []), "by_date", "expected at least 1 entry (got 0)"),
    ("window-p-infinite", _set("windows", 1, "p", float("inf")), "windows -> June 2025 -> p",
     "expected a finite number (got Infinity)"),
    ("headline-not-last-by_date", _set("headline", "by_horizon_end", "p", 0.5),
     "headline -> by_horizon_end -> p",
     "expected the last by_date p (0.32 on 2025-07-31), got 0.5"),
    ("first-window-not-windows-0", _set("headline", "first_window", "name", "June 2025"),
     "headline -> first_window -> name", f"expected the first window's name {FIRST!r}"),
    ("window-p-null", _set("windows", 1, "p", None), "windows -> June 2025 -> p",
     "expected a number (got null)"),
    ("probability-as-text", _set("by_month", 1, "p", "0.1"), "by_month -> 2025-06 -> p",
     "expected a number (got \"0.1\")"),
    ("venue-share-negative", _set("windows", 1, "venues", 2, "p", -0.5),
     "windows -> June 2025 -> venues -> russian_far_east -> p", "expected a probability"),
    ("venue-shares-do-not-sum-to-1", _set("venues", 0, "p", 0.5), "venues",
     "expected venue shares p summing to 1 (got 1.25)"),
    ("venues-out-of-order", lambda d: d["windows"][0]["venues"].reverse(),
     f"windows -> {FIRST} -> venues", "expected the venues of the top-level 'venues'"),
    ("lo-above-hi", _set("by_month", 0, "lo", 0.9), "by_month -> 2025-05", "expected lo <= hi"),
    ("duplicate-window-name", _set("windows", 1, "name", FIRST), "windows -> 1 -> name",
     f"duplicate window name {FIRST!r} (also at position 0)"),
    ("window-outside-horizon", _set("windows", 1, "end", "2025-08-01"), "windows -> June 2025",
     "expected a window inside the horizon 2025-05-13 .. 2025-07-31"),
    ("by_date-not-increasing", _set("by_date", 5, "date", "2025-05-13"), "by_date -> 5 -> date",
     "expected dates in increasing order (got 2025-05-13 after 2025-05-17)"),
    ("by_date-before-horizon", _set("by_date", 0, "date", "2025-05-12"),
     "by_date -> 2025-05-12 -> date", "expected a date inside the horizon"),
    ("impossible-date", _set("as_of", "2025-02-30"), "as_of",
     "expected a real date as YYYY-MM-DD (got \"2025-02-30\")"),
    ("datetime-for-date", _set("data", "coverage_end", "2026-02-26T00:00:00"),
     "data -> coverage_end", "expected a real date as YYYY-MM-DD"),
    ("integer-as-float", _set("diagnostics", "divergences", 1.5), "diagnostics -> divergences",
     "expected an integer (got 1.5)"),
    ("rhat-nan", _set("diagnostics", "rhat_max", float("nan")), "diagnostics -> rhat_max",
     "expected a finite number (got NaN)"),
    ("misspelt-key", lambda d: d["diagnostics"].update(rhat_maxx=d["diagnostics"].pop("rhat_max")),
     "diagnostics -> rhat_maxx", "unknown key; did you mean 'rhat_max'?"),
    ("bad-hash", _set("stamp", "data_sha256", "abc"), "stamp -> data_sha256",
     "expected a SHA-256 as 64 lower-case hex digits"),
    ("effect-named", _set("effects", 1, "stated_range", [6.0, 2.0]),
     "effects -> occasion:treaty_anniversary -> stated_range",
     "expected [low, high] with low < high"),
    ("other-schema", _set("schema", "summit-forecast/backtest.json/1"), "schema",
     f"expected {FORECAST_SCHEMA!r} (got \"summit-forecast/backtest.json/1\")"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "message"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_a_bad_document_is_refused_on_one_line_naming_the_field(tmp_path, change, field, message):
    doc = _document()
    change(doc)
    err = _refused(_write(tmp_path, doc))  # NaN and inf are written as the literals NaN, Infinity
    assert err.field == field
    assert err.message.startswith(message), err.message


def test_the_small_document_is_valid_before_any_change(tmp_path):
    assert read_document(_write(tmp_path, _document())).to_dict() == _document()


@pytest.mark.parametrize(
    ("text", "field", "message"),
    [
        pytest.param(None, "line ", "invalid JSON at column ", id="truncated"),
        pytest.param("summit: yes\n", "line 1", "invalid JSON at column 1: expecting value",
                     id="not-json"),
        pytest.param(b"\x89PNG\r\n\x1a\n", "line 1", "not valid UTF-8 (byte 0x89", id="binary"),
        pytest.param("[1, 2]\n", None,
                     "expected a JSON object (as 'forecast run' writes it), got a list", id="list"),
        pytest.param('"forecast"\n', None, "expected a JSON object", id="text"),
        pytest.param("", None, "the file is empty", id="empty"),
        pytest.param('{"schema": "summit-forecast/forecast.json/1", "schema": 2}', None,
                     "invalid JSON: duplicate key 'schema'", id="duplicate-key"),
        pytest.param("{}", "schema", "missing required field", id="no-schema"),
    ],
)  # fmt: skip
def test_a_file_that_is_not_a_document_is_refused_on_one_line(tmp_path, text, field, message):
    path = tmp_path / "forecast.json"
    if text is None:  # the small document cut short, as by a full disk
        full = json.dumps(_document(), indent=2)
        text = full[: len(full) // 2]
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    err = _refused(path)
    assert err.field == field or (field == "line " and err.field.startswith("line "))
    assert err.message.startswith(message), err.message


def test_literals_nan_and_overflow_are_refused_where_they_stand(tmp_path):
    text = json.dumps(_document(), indent=2)
    path = tmp_path / "forecast.json"
    path.write_text(text.replace('"rhat_max": 1.0021', '"rhat_max": NaN'), encoding="utf-8")
    assert _refused(path).field == "diagnostics -> rhat_max"
    path.write_text(
        text.replace('"p_none_before": 0.9', '"p_none_before": 1e999', 1), encoding="utf-8"
    )
    err = _refused(path)
    assert (err.field, err.message) == (
        f"windows -> {FIRST} -> p_none_before",
        "expected a finite number (got Infinity)",
    )


def test_a_missing_file_or_a_directory_is_refused(tmp_path):
    assert _refused(tmp_path / "nowhere.json").message == "forecast file not found"
    assert _refused(tmp_path).message.startswith("expected a regular forecast file")


def test_conversion_helpers_for_other_sources():
    raw = _document()
    raw["windows"][1]["venues"][0]["p"] = 2.0
    with pytest.raises(ValidationError) as info:
        ForecastDocument.from_dict(raw)
    err = pydantic_error_to_input_error(info.value, "<built>", raw, model=ForecastDocument)
    assert str(err).startswith("<built>: windows -> June 2025 -> venues -> dprk -> p: expected a")
    with pytest.raises(InputError, match=r"^<forecast document>: expected a JSON object"):
        parse_document([raw])


# --------------------------------------------------------------------------- JSON Schemas

# Which negative scenarios a JSON Schema can refuse. YAML errors never reach a schema; the rest
# need another field, the dataset, or a comparison of two values, which only
# 'forecast validate' makes.
YAML_ERRORS = {"wrong_duplicate_key", "wrong_invalid_yaml", "wrong_python_object"}
SCHEMA_CATCHES = {
    "wrong_confidence",  # 5 > maximum 0.99
    "wrong_draws",  # -3 < minimum 10
    "wrong_impossible_date",  # 2025-02-30 is not a 'date' (with format assertion)
    "wrong_list_not_mapping",  # ceasefire: a list, not an object
    "wrong_nested_unknown_key",  # additionalProperties: false
    "wrong_type",  # 'high' is neither a number nor numeric text
    "wrong_unknown_key",  # additionalProperties: false
}
SCHEMA_MISSES = {
    "wrong_absurd_multiplier",  # PyYAML reads 1.0e9 as text; numeric text is accepted
    "wrong_horizon_before_as_of",  # compares two fields
    "wrong_indicator_kind",  # factor kinds are the dataset dyad's terms
    "wrong_inverted_window",  # compares start and end
    "wrong_multiplier",  # low < high compares two items
    "wrong_unknown_occasion",  # the dataset's occasions
    "wrong_window_outside_horizon",  # compares with as_of and horizon_end
}


def test_committed_schemas_are_up_to_date(tmp_path):
    """Regenerate with: .venv/bin/python -m forecast.io.schemas schemas"""
    written = write_schemas(tmp_path)
    for key, name in FILES.items():
        committed = ROOT / "schemas" / name
        assert committed.is_file(), f"schemas/{name} is missing"
        assert written[key].read_bytes() == committed.read_bytes(), (
            f"schemas/{name} is out of date: run '.venv/bin/python -m forecast.io.schemas schemas'"
        )
        assert json.loads(committed.read_text(encoding="utf-8"))["$schema"].endswith(
            "2020-12/schema"
        )
    assert dumps(scenario_schema()) == dumps(scenario_schema())  # deterministic


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_the_scenario_schema_accepts_every_shipped_scenario(scenario_validator, path):
    errors = [
        f"{list(e.absolute_path)}: {e.message}"
        for e in scenario_validator.iter_errors(load_yaml(path))
    ]
    assert errors == []


def test_the_scenario_schema_refuses_what_a_schema_can_see(scenario_validator):
    wrong = {p.stem: p for p in (SCENARIOS / "wrong").glob("*.yaml")}
    assert set(wrong) == YAML_ERRORS | SCHEMA_CATCHES | SCHEMA_MISSES
    for name in YAML_ERRORS:
        with pytest.raises(InputError):
            load_yaml(wrong[name])
    caught = {
        name
        for name in wrong.keys() - YAML_ERRORS
        if not scenario_validator.is_valid(load_yaml(wrong[name]))
    }
    assert caught == SCHEMA_CATCHES


def test_the_absurd_multiplier_is_refused_when_read_as_a_number(scenario_validator):
    """A YAML 1.2 reader (an editor) reads 1.0e9 as a number: the multiplier bounds refuse it."""
    data = load_yaml(SCENARIOS / "wrong" / "wrong_absurd_multiplier.yaml")
    data["indicators"][2]["multiplier"] = [float(x) for x in data["indicators"][2]["multiplier"]]
    assert not scenario_validator.is_valid(data)


def test_scenario_schema_reads_numbers_and_text_as_the_loader_does(scenario_validator):
    data = load_yaml(SCENARIOS / "june-anniversary.yaml")
    data["indicators"][0].update(multiplier=[2, "6e0"], confidence="0.8", id=" treaty_anniversary ")
    assert scenario_validator.is_valid(data)
    for bad in ({"confidence": True}, {"confidence": "0.8x"}, {"stated_on": "2025-5-12"}):
        changed = copy.deepcopy(data)
        changed["indicators"][0].update(bad)
        assert not scenario_validator.is_valid(changed), bad
    for text in ("1e9", "1.0e9", "+.5", "5.", "1_000", " 2 "):
        assert re.search(NUMERIC_TEXT, text) and float(text) >= 0
    for text in ("nan", "1e", "1__0", "", "0x10"):
        assert not re.search(NUMERIC_TEXT, text)


def test_the_forecast_schema_accepts_documents_and_refuses_bad_values(schema_validator):
    validator = schema_validator(forecast_schema())
    assert validator.is_valid(_document())
    if EXAMPLE is not None:
        assert validator.is_valid(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    for change in (_set("windows", 0, "p", 1.5), _drop("headline"), _set("by_date", []),
                   _set("as_of", "2025-02-30"), _set("extra", 1)):  # fmt: skip
        doc = _document()
        change(doc)
        assert not validator.is_valid(doc)


def test_schema_command_prints_the_shipped_schemas(capsys):
    from forecast.cli.main import main

    for which in ("scenario", "forecast"):
        assert main(["schema", which]) == 0
        printed = capsys.readouterr().out
        assert printed == (ROOT / "schemas" / f"{which}.schema.json").read_text(encoding="utf-8")
