"""A tiny real backtest end to end: the files, the backtest.json contract, the summary."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from forecast.backtest import backtest
from forecast.backtest.outputs import summary_text
from forecast.dataset import data_sha256

CONTRACT_TOP = {
    "schema",
    "stamp",
    "settings",
    "n_origins",
    "seconds_per_origin",
    "scores",
    "venue",
    "cases",
    "figures",
    "note",
}
INTERVAL_KEYS = {"value", "lo", "hi"}


@pytest.fixture(scope="module")
def tiny_backtest(tmp_path_factory) -> tuple[dict, dict[str, Path]]:
    out = tmp_path_factory.mktemp("bt") / "backtest"
    cases = out.parent / "cases.csv"
    cases.write_text(
        "as_of,horizon_end,label,venue\n2024-05-01,2024-06-30,June 2024 in the DPRK,dprk\n",
        encoding="utf-8",
    )
    return backtest(
        out,
        start="2023-06-01",
        end="2023-09-01",
        windows="30,90",
        cases=cases,
        draws=60,
        tune=60,
        chains=2,
        seed=3,
    )


@pytest.mark.slow
def test_backtest_json_follows_the_contract(tiny_backtest):
    doc, paths = tiny_backtest
    on_disk = json.loads(paths["json"].read_text(encoding="utf-8"))
    assert on_disk == doc
    assert set(doc) >= CONTRACT_TOP
    assert doc["schema"] == "summit-forecast/backtest.json/1"
    assert doc["stamp"]["data_sha256"] == data_sha256()
    assert len(doc["stamp"]["cases_sha256"]) == 64
    s = doc["settings"]
    assert (s["start"], s["end"], s["every"], s["windows"]) == (
        "2023-06-01",
        "2023-09-01",
        "1M",
        [30, 90],
    )
    assert (s["draws"], s["tune"], s["chains"], s["seed"], s["interval"]) == (60, 60, 2, 3, 0.8)
    assert doc["n_origins"] == 4 and doc["seconds_per_origin"] > 0
    assert [sc["window_days"] for sc in doc["scores"]] == [30, 90]
    for sc in doc["scores"]:
        assert sc["n"] == 4
        assert set(sc["brier"]) == INTERVAL_KEYS and set(sc["log"]) == INTERVAL_KEYS
        assert [b["name"] for b in sc["baselines"]] == ["constant", "wartime"]
        for b in sc["baselines"]:
            assert b["label"] and {"brier", "log", "bss"} <= set(b)
            assert b["bss"]["lo"] <= b["bss"]["hi"]
    # The 2023-09-13 summit follows the 2023-09-01 origin within 30 days, and three origins
    # within 90 days (2023-06-01 is 104 days before it).
    assert [sc["n_events"] for sc in doc["scores"]] == [1, 3]
    assert doc["venue"]["n"] == 3 and doc["venue"]["uniform_log_score"] == pytest.approx(
        1.6094, 1e-4
    )
    (case,) = doc["cases"]
    assert case["label"] == "June 2024 in the DPRK" and case["outcome"] is True
    assert "s2024-pyongyang" in case["what_happened"]
    assert 0 <= case["lo"] <= case["p"] <= case["hi"] <= 1
    assert doc["figures"] == {"reliability": "reliability.svg", "forecasts": "forecasts.svg"}


@pytest.mark.slow
def test_backtest_tables_figures_and_summary(tiny_backtest):
    doc, paths = tiny_backtest
    with paths["origins"].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 * 2
    assert {r["origin"] for r in rows} == {"2023-06-01", "2023-07-01", "2023-08-01", "2023-09-01"}
    hit = [r for r in rows if r["outcome"] == "1"]
    assert all(r["next_summit"] == "s2023-vostochny" for r in hit)
    for name in ("reliability", "forecasts"):
        assert paths[name].read_text(encoding="utf-8").lstrip().startswith("<?xml")
    text = summary_text(doc, paths)
    assert "BSS" in text and "constant rate with a wartime rate" in text
    assert "s per origin" in text and "few events" in text.lower()
