"""Tiny real backtests end to end: the files, the backtest.json contract, the summary.

Both runs (monthly origins, and the rows of a cases file) share one compiled engine.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import scoringrules as sr

from forecast.backtest.baselines import baseline_probabilities
from forecast.backtest.outputs import summary_text
from forecast.domain.record import data_sha256
from forecast.report import track

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
    assert doc["settings"]["cases_file"] is None
    assert [sc["label"] for sc in doc["scores"]] == ["30 days", "90 days"]
    case = doc["cases"][0]  # without --cases, the shipped seed cases are the named cases
    assert len(doc["cases"]) == 4 and case["label"].startswith("seeds 001/002")
    assert case["outcome"] is True and "s2024-pyongyang" in case["what_happened"]
    assert 0 <= case["lo"] <= case["p"] <= case["hi"] <= 1
    # each named case fitted again with the signal terms: as of 2024-06-17 the Kremlin's
    # announcement of June 18-19 is public, which only that fit hears
    for c in doc["cases"]:
        sig = c["with_signals"]
        assert set(sig) == {"p", "lo", "hi", "p_any_venue"}
        assert 0 <= sig["lo"] <= sig["p"] <= sig["hi"] <= 1
    assert case["with_signals"]["p"] > 0.5 > 0.05 > case["p"]
    assert doc["diagnostics"]["fits"] == 4 + 4 + 4
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


def _origin_rows(paths: dict[str, Path]) -> list[dict]:
    with paths["origins"].open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.slow
def test_a_cases_run_scores_its_rows_as_one_score_row(cases_backtest):
    doc, paths = cases_backtest
    s = doc["settings"]
    assert (s["every"], s["windows"], s["start"], s["end"]) == (
        None,
        None,
        "2023-08-01",
        "2024-05-01",
    )
    assert s["cases_file"].endswith("cases.csv") and doc["n_origins"] == 3
    (sc,) = doc["scores"]
    assert sc["window_days"] is None and sc["label"] == "to each case's horizon end"
    assert sc["horizon_days"] == [30, 60] and sc["n"] == 3
    assert (sc["n_events"], sc["n_summits"]) == (2, 2)
    assert [b["name"] for b in sc["baselines"]] == ["constant", "wartime"]
    assert doc["venue"]["n"] == 2 and doc["venue"]["window_days"] is None
    # The rows are also the named cases, in the file's order, with the scored forecast.
    assert [c["label"] for c in doc["cases"]] == [
        "June 2024 in the DPRK",
        "Vostochny within 60 days",
        "August 2023",
    ]
    rows = _origin_rows(paths)  # in as_of order, then by horizon
    assert [r["label"] for r in rows] == [
        "August 2023",
        "Vostochny within 60 days",
        "June 2024 in the DPRK",
    ]
    assert [r["outcome"] for r in rows] == ["0", "1", "1"]
    assert [r["horizon_end"] for r in rows] == ["2023-08-31", "2023-09-30", "2024-06-30"]
    by_label = {r["label"]: float(r["p"]) for r in rows}
    for c in doc["cases"]:
        assert c["p_any_venue"]["p"] == pytest.approx(by_label[c["label"]], abs=1e-5)
    # one fit per row, shared by score and case, and one with the signal terms per row
    assert doc["diagnostics"]["fits"] == 3 + 3
    with paths["cases"].open(encoding="utf-8") as fh:
        written = list(csv.DictReader(fh))
    for row, c in zip(written, doc["cases"], strict=True):
        assert float(row["p_signals"]) == pytest.approx(c["with_signals"]["p"], abs=1e-5)


@pytest.mark.slow
def test_a_cases_run_scores_equal_scoringrules_on_the_written_forecasts(cases_backtest):
    doc, paths = cases_backtest
    rows = _origin_rows(paths)
    y = np.array([float(r["outcome"]) for r in rows])
    p = np.array([float(r["p"]) for r in rows])
    (sc,) = doc["scores"]
    assert sc["brier"]["value"] == pytest.approx(np.mean(sr.brier_score(y, p)), abs=1e-5)
    assert sc["brier"]["value"] == pytest.approx(np.mean((p - y) ** 2), abs=1e-5)
    assert sc["log"]["value"] == pytest.approx(np.mean(sr.log_score(y, p)), abs=1e-3)
    for b in sc["baselines"]:
        q = np.array([float(r[f"p_{b['name']}"]) for r in rows])
        base = float(np.mean(sr.brier_score(y, q)))
        assert b["brier"]["value"] == pytest.approx(base, abs=1e-5)
        assert b["bss"]["value"] == pytest.approx(1 - np.mean((p - y) ** 2) / base, abs=1e-4)
        assert b["bss"]["lo"] <= b["bss"]["hi"]


@pytest.mark.slow
def test_a_cases_run_baselines_use_each_rows_own_horizon(cases_backtest, dataset):
    _, paths = cases_backtest
    rows = _origin_rows(paths)
    for r in rows:
        days = (date.fromisoformat(r["horizon_end"]) - date.fromisoformat(r["origin"])).days
        assert int(r["window_days"]) == days
        expected = baseline_probabilities(dataset, date.fromisoformat(r["origin"]), days)
        for name in ("constant", "wartime"):
            assert float(r[f"p_{name}"]) == pytest.approx(expected[name], abs=1e-5)
    thirty, sixty = rows[0], rows[1]  # same as_of, 30 and 60 days
    assert (int(thirty["window_days"]), int(sixty["window_days"])) == (30, 60)
    for name in ("p_constant", "p_wartime"):
        assert float(sixty[name]) > float(thirty[name])


@pytest.mark.slow
def test_a_cases_run_summary_figures_and_track_record(cases_backtest):
    doc, paths = cases_backtest
    text = summary_text(doc, paths)
    assert "3 origins, the rows of " in text and "each scored to its own horizon end" in text
    assert text.count("; with the signal terms ") == 3
    assert "Brier score of the called events over the 3 cases: " in text
    assert "To each case's horizon end (30 to 60 days): 2 of 3 origins followed" in text
    assert "every" not in text.splitlines()[0]
    for name in ("reliability", "forecasts"):
        svg = paths[name].read_text(encoding="utf-8")
        assert svg.lstrip().startswith("<?xml")
    assert "horizon end" in paths["reliability"].read_text(encoding="utf-8")
    content = track.track_record(paths["json"], data_sha256=data_sha256())
    assert content["scores"][0][:3] == ["to each case's horizon end", "3", "2"]
    assert "the rows of the cases file cases.csv" in content["summary"]
    assert [row[0] for row in content["cases"]][0] == "June 2024 in the DPRK"
    assert content["venue"].startswith("Venue forecasts (2 scored)")
    assert content["stale"] is None
