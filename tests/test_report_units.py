"""Report pieces that need no rendering: estimative language, PSIS, the backtest contract."""

from __future__ import annotations

import json

import numpy as np
import pytest

from forecast.analysis.psis import psis_log_weights
from forecast.errors import InputError
from forecast.report import track
from forecast.report.estimative import phrase, printed_percent

ICD = [
    (0.0, "almost no chance"),
    (0.01, "almost no chance"),
    (0.044, "almost no chance"),
    (0.05, "very unlikely"),
    (0.0449, "almost no chance"),  # prints as 4%
    (0.0451, "very unlikely"),  # prints as 5%
    (0.19, "very unlikely"),
    (0.20, "unlikely"),
    (0.44, "unlikely"),
    (0.45, "roughly even chance"),
    (0.50, "roughly even chance"),
    (0.55, "roughly even chance"),
    (0.56, "likely"),
    (0.80, "likely"),
    (0.81, "very likely"),
    (0.95, "very likely"),
    (0.96, "almost certain"),
    (1.0, "almost certain"),
]

PHIA = [
    (0.0, "remote chance"),
    (0.05, "remote chance"),
    (0.10, "highly unlikely"),
    (0.20, "highly unlikely"),
    (0.25, "unlikely"),
    (0.35, "unlikely"),
    (0.40, "realistic possibility"),
    (0.50, "realistic possibility"),
    (0.55, "likely or probably"),
    (0.75, "likely or probably"),
    (0.80, "highly likely"),
    (0.90, "highly likely"),
    (0.95, "almost certain"),
    (1.0, "almost certain"),
]

GAPS = [
    (0.06, "remote chance", "highly unlikely"),
    (0.094, "remote chance", "highly unlikely"),
    (0.21, "highly unlikely", "unlikely"),
    (0.37, "unlikely", "realistic possibility"),
    (0.52, "realistic possibility", "likely or probably"),
    (0.78, "likely or probably", "highly likely"),
    (0.93, "highly likely", "almost certain"),
]


@pytest.mark.parametrize(("p", "expected"), ICD)
def test_icd203_boundaries_follow_the_documented_table(p, expected):
    assert phrase(p, "icd203").text == expected
    assert not phrase(p, "icd203").gap


@pytest.mark.parametrize(("p", "expected"), PHIA)
def test_phia_bands_are_closed_intervals(p, expected):
    assert phrase(p, "phia").text == expected


@pytest.mark.parametrize(("p", "below", "above"), GAPS)
def test_phia_gaps_are_said_as_such(p, below, above):
    got = phrase(p, "phia")
    assert got.gap
    assert got.text == f"between '{below}' and '{above}' (a gap in the PHIA yardstick)"


def test_printed_percent_rounds_half_up_and_rejects_non_probabilities():
    assert printed_percent(0.125) == 13
    assert printed_percent(0.445) == 45
    assert printed_percent(0.0049) == 0
    with pytest.raises(ValueError):
        printed_percent(1.2)
    with pytest.raises(ValueError):
        phrase(0.3, "sherman-kent")


def test_psis_matches_arviz_stats():
    from arviz_stats.base import array_stats

    rng = np.random.default_rng(3)
    for scale in (0.3, 1.0, 2.5):
        log_ratio = scale * rng.standard_t(4, size=3000)
        ours, k = psis_log_weights(log_ratio)
        ref, k_ref = array_stats.psislw(-log_ratio)  # its input is minus the log ratio
        np.testing.assert_allclose(ours, ref, atol=1e-12)
        assert k == pytest.approx(float(k_ref))


def test_psis_reweights_towards_the_target():
    from forecast.analysis.influence import psis_weights

    x = np.random.default_rng(0).normal(size=4000)  # draws from N(0, 1)
    w, k = psis_weights(x - 0.5)  # log N(x; 1, 1) - log N(x; 0, 1)
    assert w.sum() == pytest.approx(1.0)
    assert w @ x == pytest.approx(1.0, abs=0.1)
    assert k < 0.7


BACKTEST = {
    "schema": "summit-forecast/backtest.json/1",
    "stamp": {"version": "0.1.0", "data_sha256": "c4ee00", "cases_sha256": None},
    "settings": {
        "start": "2014-01-01",
        "end": "2025-08-01",
        "every": "1M",
        "windows": [90, 180],
        "draws": 500,
        "tune": 500,
        "chains": 2,
        "seed": 1,
        "interval": 0.8,
    },
    "n_origins": 140,
    "seconds_per_origin": 0.8,
    "scores": [
        {
            "window_days": 90,
            "n": 140,
            "n_events": 5,
            "brier": {"value": 0.0412, "lo": 0.02, "hi": 0.09},
            "log": {"value": 0.2, "lo": 0.1, "hi": 0.3},
            "baselines": [
                {
                    "name": "constant",
                    "label": "constant rate, Kim Jong Un era",
                    "brier": {"value": 0.05, "lo": 0.03, "hi": 0.08},
                    "log": {"value": 0.22, "lo": 0.12, "hi": 0.33},
                    "bss": {"value": 0.18, "lo": -0.2, "hi": 0.3},
                }
            ],
        }
    ],
    "venue": {
        "n": 3,
        "log_score": {"value": 1.1, "lo": 0.8, "hi": 1.4},
        "uniform_log_score": 1.609,
        "skill": {"value": 0.3, "lo": 0.1, "hi": 0.5},
    },
    "cases": [
        {
            "label": "seed 004: Kim in Russia by Defender of the Fatherland Day",
            "as_of": "2024-11-21",
            "horizon_end": "2025-02-24",
            "analyst_call": "Kim may visit Russia around Defender of the Fatherland Day.",
            "p": 0.1,
            "lo": 0.03,
            "hi": 0.2,
            "outcome": False,
            "what_happened": "No summit; the next was 2025-09-03 in Beijing",
        }
    ],
    "figures": {"reliability": "reliability.svg"},
    "note": "few events: intervals are wide",
}


def test_track_record_reads_the_contract(tmp_path):
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(BACKTEST), encoding="utf-8")
    content = track.track_record(path, data_sha256="c4ee00")
    assert content["available"]
    assert content["scores"][0][:4] == ["90 days", "140", "5", "0.041 (0.020 to 0.090)"]
    assert content["scores"][0][5][0].startswith("constant rate, Kim Jong Un era: Brier 0.050")
    assert "(every month)" in content["summary"]
    assert "80% bootstrap intervals" in content["summary"]
    assert content["cases"][0][3] == "10% (3–20%)"
    assert content["figure"] is None  # named but absent: left out, not an error
    assert content["stale"] is None
    assert track.track_record(path, data_sha256="other")["stale"]


def test_without_a_backtest_the_report_says_how_to_make_one(tmp_path):
    assert track.locate(tmp_path / "june") is None
    assert "python -m forecast backtest" in track.track_record(None)["hint"]


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (lambda d: d.update(schema="summit-forecast/backtest.json/0"), "schema"),
        (lambda d: d["scores"][0].pop("brier"), "scores -> 0 -> brier"),
        (lambda d: d["venue"].update(n="three"), "venue -> n"),
    ],
)
def test_a_bad_backtest_file_names_the_field(tmp_path, edit, field):
    bad = json.loads(json.dumps(BACKTEST))
    edit(bad)
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    with pytest.raises(InputError) as err:
        track.load(path)
    assert err.value.field == field
    assert str(path) in str(err.value)


def test_an_explicit_backtest_path_must_exist(tmp_path):
    with pytest.raises(InputError, match="--backtest"):
        track.locate(tmp_path, tmp_path / "missing.json")


def test_case_rows_use_the_optional_venue_keys_when_present(tmp_path):
    doc = json.loads(json.dumps(BACKTEST))
    doc["cases"][0].update(
        venue="russian_capital",
        p=0.031,
        lo=0.004,
        hi=0.07,
        p_any_venue={"p": 0.3, "lo": 0.1, "hi": 0.5},
        what_happened="No summit by 2025-05-09",
    )
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    row = track.track_record(path)["cases"][0]
    assert row[3] == "3% (0–7%) in Moscow; any venue 30%"
    assert row[4] == "No summit by 2025-05-09"


def test_a_case_called_for_russia_as_a_whole_says_so(tmp_path):
    doc = json.loads(json.dumps(BACKTEST))
    doc["cases"][0].update(venue="russia", p=0.11, lo=0.03, hi=0.2)
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    row = track.track_record(path)["cases"][0]
    assert row[3] == "11% (3–20%) in Russia"


def _cases_backtest() -> dict:
    """BACKTEST as a cases-file run writes it: one score row without window_days."""
    doc = json.loads(json.dumps(BACKTEST))
    doc["settings"].update(
        start="2024-06-16",
        end="2025-05-12",
        every=None,
        windows=None,
        cases_file="scenarios/backtest/seed-cases.csv",
    )
    doc["n_origins"] = 4
    doc["scores"][0].update(
        window_days=None, label="to each case's horizon end", horizon_days=[4, 155], n=4
    )
    doc["scores"][0]["n_events"] = 1
    return doc


def test_track_record_renders_a_cases_file_backtest(tmp_path):
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(_cases_backtest()), encoding="utf-8")
    content = track.track_record(path)
    assert content["scores"][0][:3] == ["to each case's horizon end", "4", "1"]
    assert content["summary"].startswith(
        "Backtest of 4 forecast origins (the rows of the cases file seed-cases.csv, as of "
        "2024-06-16 to 2025-05-12, each scored to its own horizon end)"
    )
    assert "every" not in content["summary"]
    assert content["cases"][0][0].startswith("seed 004")


def test_a_backtest_without_a_scored_venue_leaves_the_venue_line_out(tmp_path):
    doc = _cases_backtest()
    doc["venue"] = {
        "n": 0,
        "log_score": None,
        "uniform_log_score": 1.609,
        "skill": None,
        "window_days": None,
    }
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert track.track_record(path)["venue"] is None
