"""report.track: the track record read from backtest.json (the backtest contract), its rows and
its errors; the document is the ``backtest_doc`` fixture."""

from __future__ import annotations

import json

import pytest

from forecast.errors import InputError
from forecast.report import track


def test_track_record_reads_the_contract(tmp_path, backtest_doc):
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(backtest_doc), encoding="utf-8")
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


def test_a_forecast_with_the_signal_terms_is_told_what_the_monthly_track_leaves_out(
    tmp_path, backtest_doc
):
    """The monthly track has no signal terms: with them on, its summary says so and the
    section points to the short-horizon track, or says how to make it; without them, neither."""
    bt = tmp_path / "backtest" / "backtest.json"
    bt.parent.mkdir()
    bt.write_text(json.dumps(backtest_doc), encoding="utf-8")
    plain = track.track_record(bt)
    assert "the same model as the forecast" in plain["summary"] and plain["short"] == []
    with_signals = track.track_record(bt, signals=True)
    assert "without the signal terms" in with_signals["summary"]
    assert "the same model" not in with_signals["summary"]
    assert with_signals["short"] == [track.SHORT_HINT]
    assert "python -m forecast backtest --short" in track.SHORT_HINT
    short = tmp_path / "backtest-short" / "short-horizon.json"
    short.parent.mkdir()
    short.write_text(json.dumps({"n_origins": 3, "scores": []}), encoding="utf-8")
    assert track.track_record(bt, signals=True)["short"][0].startswith("Short-horizon track")


def test_without_a_backtest_the_report_says_how_to_make_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
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
def test_a_bad_backtest_file_names_the_field(tmp_path, edit, field, backtest_doc):
    bad = backtest_doc
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
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="empty/backtest.json: --backtest: missing"):
        track.locate(tmp_path, tmp_path / "empty")


def _write_backtest(folder, doc) -> None:
    folder.mkdir(parents=True)
    (folder / "backtest.json").write_text(json.dumps(doc), encoding="utf-8")


def test_the_backtest_is_found_whatever_out_the_run_used(tmp_path, monkeypatch, backtest_doc):
    """reports/backtest/ (where 'forecast backtest' writes) is found for a run written
    anywhere else; --backtest accepts the directory as well as the file."""
    monkeypatch.chdir(tmp_path)
    _write_backtest(tmp_path / "reports" / "backtest", backtest_doc)
    found = tmp_path / "reports" / "backtest" / "backtest.json"
    assert track.locate(tmp_path / "elsewhere" / "deep" / "run") == found
    assert track.locate(tmp_path / "reports" / "june") == found
    assert track.locate(tmp_path / "x", tmp_path / "reports" / "backtest") == found
    # Beside the run wins over the default place.
    _write_backtest(tmp_path / "mine" / "backtest", backtest_doc)
    assert (
        track.locate(tmp_path / "mine" / "run") == tmp_path / "mine" / "backtest" / "backtest.json"
    )


def test_another_pairs_backtest_is_not_taken_for_this_ones(tmp_path, monkeypatch, backtest_doc):
    monkeypatch.chdir(tmp_path)
    _write_backtest(tmp_path / "reports" / "backtest", backtest_doc)  # kim-putin's
    assert track.locate(tmp_path / "run", dataset="kim-trump") is None
    other = {**backtest_doc, "settings": {**backtest_doc["settings"], "dataset": "kim-trump"}}
    _write_backtest(tmp_path / "reports" / "backtest-kim-trump", other)
    assert track.locate(tmp_path / "run", dataset="kim-trump") == (
        tmp_path / "reports" / "backtest-kim-trump" / "backtest.json"
    )


def _first_case_row(tmp_path, doc: dict, **fields) -> list:
    """The track record's row of ``doc``'s first case, updated with ``fields``."""
    doc["cases"][0].update(fields)
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return track.track_record(path)["cases"][0]


def test_case_rows_use_the_optional_venue_keys_when_present(tmp_path, backtest_doc):
    row = _first_case_row(
        tmp_path,
        backtest_doc,
        venue="russian_capital",
        p=0.031,
        lo=0.004,
        hi=0.07,
        p_any_venue={"p": 0.3, "lo": 0.1, "hi": 0.5},
        what_happened="No summit by 2025-05-09",
    )
    assert row[3] == "3% (0–7%) in Moscow; any venue 30%"
    assert row[4] == "No summit by 2025-05-09"


def test_a_case_called_for_russia_as_a_whole_says_so(tmp_path, backtest_doc):
    row = _first_case_row(tmp_path, backtest_doc, venue="russia", p=0.11, lo=0.03, hi=0.2)
    assert row[3] == "11% (3–20%) in Russia"


def _cases_backtest(doc: dict) -> dict:
    """``doc`` (the ``backtest_doc`` fixture) edited into what a cases-file run writes: one score
    row without window_days."""
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


def test_track_record_renders_a_cases_file_backtest(tmp_path, backtest_doc):
    path = tmp_path / "backtest.json"
    path.write_text(json.dumps(_cases_backtest(backtest_doc)), encoding="utf-8")
    content = track.track_record(path)
    assert content["scores"][0][:3] == ["to each case's horizon end", "4", "1"]
    assert content["summary"].startswith(
        "Backtest of 4 forecast origins (the rows of the cases file seed-cases.csv, as of "
        "2024-06-16 to 2025-05-12, each scored to its own horizon end)"
    )
    assert "every" not in content["summary"]
    assert content["cases"][0][0].startswith("seed 004")


def test_a_backtest_without_a_scored_venue_leaves_the_venue_line_out(tmp_path, backtest_doc):
    doc = _cases_backtest(backtest_doc)
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


def test_a_case_fitted_with_the_signal_terms_shows_both_forecasts(tmp_path, backtest_doc):
    row = _first_case_row(
        tmp_path,
        backtest_doc,
        venue="dprk",
        p=0.001,
        lo=0.0,
        hi=0.002,
        with_signals={"p": 0.88, "lo": 0.75, "hi": 0.97, "p_any_venue": {"p": 0.9}},
    )
    assert row[3] == "<1% in North Korea; with the signal terms 88% (75–97%)"
