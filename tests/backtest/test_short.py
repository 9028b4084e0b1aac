"""The short-horizon track's origins and its naive announcement rule (no sampling)."""

from datetime import date, timedelta

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
