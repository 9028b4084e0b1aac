"""The News and signals section and the short-horizon lines of the track record."""

import json
from pathlib import Path

from forecast.report.signals_section import news_and_signals
from forecast.report.track import short_track

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "forecast-june-anniversary.json"

ROW = {
    "id": "2024-06-17-announcement",
    "date": "2024-06-17",
    "kind": "official_announcement_with_dates",
    "term": "announced_meeting",
    "who": "Kremlin",
    "what": "Friendly state visit to the DPRK on Jun 18-19",
    "source": "https://tass.com/politics/1804387",
    "window_start": "2024-06-18",
    "window_end": "2024-06-19",
    "venue_class": "dprk",
    "p_without": 0.004,
    "record_followed": 2,
    "record_total": 2,
}


def test_rows_from_the_typed_document():
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    assert news_and_signals(doc)["rows"] == []  # an older file: no signals part
    bare = dict(window_end=None, window_start=None, venue_class=None)
    doc["signals"] = [ROW, {**ROW, **bare, "id": "x", "record_total": 0, "record_followed": 0}]
    out = news_and_signals(doc)
    first, second = out["rows"]
    assert first == [
        "2024-06-17",
        "official announcement with dates",
        "Kremlin: Friendly state visit to the DPRK on Jun 18-19",
        "2024-06-18 to 2024-06-19",
        "North Korea",
        "0.4%",
        "2 of 2",
    ]
    assert second[3:5] == ["none stated", "not named"] and second[6] == "none in the record"
    framed = {**ROW, "kind": "media_report_citing_sources", "claim": "framed_claim"}
    doc["signals"] = [framed, {**framed, "time_frame": "in a few days"}]
    plain, phrased = (row[3] for row in news_and_signals(doc)["rows"])
    assert plain == "2024-06-18 to 2024-06-19 (a time-framed claim)"
    assert phrased == "2024-06-18 to 2024-06-19 (time frame: in a few days; a time-framed claim)"


def test_the_kept_probability_is_one_sentence_when_the_run_has_it():
    doc = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    doc["signals"] = [ROW]
    assert news_and_signals(doc)["announced"] is None
    doc["announced"] = dict(
        prior_low=0.6, prior_high=0.97, prior_confidence=0.8, p50=0.88, lo=0.65, hi=0.97
    )
    assert news_and_signals(doc)["announced"] == (
        "An official announcement with dates is read as a claim kept with probability q "
        "(docs/model.md, section 3.5): posterior median 0.88 (80% interval 0.65–0.97), from a "
        "prior of 0.6–0.97 at 80% and the record's announcements as known then."
    )


def _write_short(path, n, events, brier, reference, skill):
    """A short-horizon.json of one 7-day window scored against one reference."""
    path.write_text(json.dumps({
        "n_origins": n,
        "scores": [{"window_days": 7, "n": n, "n_events": events, "brier": brier,
                    "baselines": [{"name": reference, "bss": skill}]}],
    }), encoding="utf-8")  # fmt: skip


def test_short_track_lines_only_when_the_file_is_there(tmp_path):
    bt = tmp_path / "backtest" / "backtest.json"
    assert short_track(str(bt)) == [] and short_track(None) == []
    score = {"value": 0.5, "lo": 0.1, "hi": 0.9}
    short = tmp_path / "backtest-short" / "short-horizon.json"
    short.parent.mkdir()
    (tmp_path / "backtest").mkdir()
    (bt.parent / "short-horizon.json").write_text("{}", encoding="utf-8")  # not read from here
    assert short_track(str(bt)) == []
    _write_short(short, 10, 2, score, "constant", score)
    lines = short_track(str(bt))
    assert lines[0].startswith("Short-horizon track (the model with the signal terms): 10 origins")
    assert "different dataset version" not in lines[0]
    assert lines[1] == (
        "7 days (2 of 10 followed by a meeting): Brier 0.500; "
        "against constant: skill +0.50 (+0.10 to +0.90)."
    )
    # a track of another dataset version than the forecast's is flagged; of the same, not
    doc = json.loads(short.read_text(encoding="utf-8"))
    short.write_text(json.dumps({**doc, "data_sha256": "aaa"}), encoding="utf-8")
    assert "different dataset version" in short_track(str(bt), "bbb")[0]
    assert "different dataset version" not in short_track(str(bt), "aaa")[0]
    short.write_text("{not json", encoding="utf-8")
    assert short_track(str(bt)) == []


def test_short_track_shows_a_skill_unbounded_below(tmp_path):
    """A rule with a perfect score on some resamples leaves the skill's lower bound null in
    short-horizon.json (Kim–Trump at 7 days); the track is still shown, the bound as -inf."""
    bt = tmp_path / "backtest" / "backtest.json"
    short = tmp_path / "backtest-short" / "short-horizon.json"
    short.parent.mkdir()
    brier = {"value": 0.07, "lo": 0.01, "hi": 0.14}
    skill = {"value": -0.1, "lo": None, "hi": -0.03}
    _write_short(short, 102, 21, brier, "official announcement = yes", skill)
    lines = short_track(str(bt))
    assert lines[1] == (
        "7 days (21 of 102 followed by a meeting): Brier 0.070; "
        "against official announcement = yes: skill -0.10 (-inf to -0.03)."
    )
