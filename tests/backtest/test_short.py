"""The short-horizon track: its origins, its naive announcement rule, its sampler setting
(no sampling) and a tiny run of three origins (slow)."""

from datetime import date, timedelta

import pytest

from forecast.backtest.short import WINDOWS, announcement_rule, short_origins


def test_origins_are_weekly_through_episodes_and_daily_before_meetings(dataset):
    days = short_origins(dataset)
    assert days == sorted(set(days))
    # daily in the ten days before each meeting
    for meeting in dataset.events:
        for k in range(1, 11):
            assert meeting.date - timedelta(days=k) in days
    # the 2015 false alarm: from two weeks before Ushakov's invitation of 2014-12-22
    assert days[0] == date(2014, 12, 8)
    assert date(2015, 4, 27) in days  # weekly from there
    assert date(2016, 6, 1) > max(d for d in days if d.year in (2015, 2016))
    # no origin whose 30-day window ends after the coverage end
    assert max(days) <= dataset.meta.coverage_end - timedelta(days=max(WINDOWS))


def test_announcement_rule_is_yes_only_while_a_dated_announcement_is_live(dataset):
    # 2024: the Kremlin's June 18–19 announcement is public at the end of June 17
    assert announcement_rule(dataset, date(2024, 6, 16), 7) == 0.0
    assert announcement_rule(dataset, date(2024, 6, 17), 7) == 1.0
    assert announcement_rule(dataset, date(2024, 6, 19), 7) == 0.0  # the meeting was held
    # 2019: 'second half of April' (Apr 18), then 'April 25' (Apr 23)
    assert announcement_rule(dataset, date(2019, 4, 18), 7) == 1.0
    assert announcement_rule(dataset, date(2019, 4, 17), 30) == 0.0
    # 2015: a confirmation of May 9 is not an announcement with dates, and it was cancelled
    assert announcement_rule(dataset, date(2015, 4, 29), 14) == 0.0
    # a window beyond the one scored does not count
    assert announcement_rule(dataset, date(2025, 8, 28), 7) == 1.0
    assert announcement_rule(dataset, date(2019, 4, 10), 7) == 0.0


def test_infinite_scores_are_written_as_null():
    from forecast.backtest.short import finite

    doc = {
        "log": {"value": float("inf"), "lo": float("nan"), "hi": 1.5},
        "rows": [1.0, float("-inf")],
    }
    assert finite(doc) == {"log": {"value": None, "lo": None, "hi": 1.5}, "rows": [1.0, None]}


def test_the_output_directory_is_checked_before_anything_is_fitted(tmp_path, capsys):
    """`backtest --short --out` into a file, or into a directory holding foreign files, is one
    line and exit 2, before a fit (the fast tier refuses sampling)."""
    from forecast.cli.main import main

    target = tmp_path / "a-file"
    target.write_text("x", encoding="utf-8")
    assert main(["backtest", "--short", "--out", str(target), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1 and "--out" in err
    foreign = tmp_path / "dir"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["backtest", "--short", "--out", str(foreign), "--quiet"]) == 2
    assert (foreign / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_refits_with_the_signal_terms_take_the_higher_target_acceptance(
    template, dataset, monkeypatch
):
    """The claims' hazard is steep inside a window: a refit with the signal terms uses NUTS'
    target acceptance of 0.9 (the forecast's), one without them the refits' 0.8."""
    import forecast.model.jaxnuts as jaxnuts
    from forecast.backtest.engine import Engine, covariate_names
    from forecast.backtest.origins import scenario_at, with_signals
    from forecast.design.prepare import prepare

    made = []

    class Recorder:
        def __init__(self, **settings):
            made.append(settings["target_accept"])

        def warm(self, arrays):
            return False

    monkeypatch.setattr(jaxnuts, "JaxSampler", Recorder)
    day = date(2024, 6, 11)
    plain = scenario_at(template, day, day + timedelta(days=30), WINDOWS)
    signals = with_signals(plain)
    engine = Engine(covariate_names(signals, dataset.dyad), prepare(signals, dataset))
    # the third is reused: one sampler per setting
    engine.warm(
        [prepare(x, dataset) for x in (plain, signals, signals)], draws=60, tune=60, chains=2
    )
    assert made == [0.8, 0.9]


@pytest.mark.slow
def test_the_track_fits_each_origin_and_scores_it_against_both_references(template, dataset):
    """Three origins around the 2024 visit (tiny sampler): every window of every origin is
    scored with the rule's value and the outcome the record gives, the fits' divergences are
    kept per origin, and the summary names every window and reference."""
    from forecast.backtest.short import RULE, run_short, short_summary

    days = [date(2024, 6, 9), date(2024, 6, 12), date(2024, 6, 17)]
    doc = run_short(dataset, template, draws=60, tune=60, chains=2, seed=3, days=days)
    assert doc["n_origins"] == 3 and doc["settings"]["target_accept"] == 0.9
    rows = {(x["origin"], x["window_days"]): x for x in doc["origins"]}
    assert len(rows) == 3 * len(WINDOWS)
    # the meeting of 2024-06-19 is 10, 7 and 2 days after the origins
    assert [rows[(d.isoformat(), 7)]["outcome"] for d in days] == [0, 1, 1]
    assert all(rows[(d.isoformat(), 14)]["outcome"] == 1 for d in days)
    # the announcement is public at the end of 2024-06-17 only
    assert [rows[(d.isoformat(), 7)]["rule"] for d in days] == [0.0, 0.0, 1.0]
    assert all(0.0 <= x["p"] <= 1.0 and x["divergences"] >= 0 for x in rows.values())
    assert doc["divergences"] == sum(rows[(d.isoformat(), 7)]["divergences"] for d in days)
    # the official dates raise the week's probability above its level before them
    assert rows[("2024-06-17", 7)]["p"] > rows[("2024-06-09", 7)]["p"]
    scores = {s["window_days"]: s for s in doc["scores"]}
    assert sorted(scores) == list(WINDOWS) and scores[7]["n"] == 3
    assert [b["name"] for b in scores[7]["baselines"]] == ["constant", RULE]
    text = short_summary(doc)
    assert "3 origins" in text and "of the 3 fits" in text
    assert text.count("vs constant") == len(WINDOWS) and text.count(f"vs {RULE}") == len(WINDOWS)
