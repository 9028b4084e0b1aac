"""forecast.json's signals part and the terminal lines, on fixed draws (no sampling)."""

import math
from dataclasses import replace

import numpy as np
import pytest

from forecast.io.signals_part import signal_lines, signal_rows
from forecast.predict import path_survival, survival


def test_rows_name_the_live_signals_with_their_terms_and_record(announced, fixed_draws):
    beta = np.zeros(len(announced.term_names))
    beta[announced.term_names.index("signal_assessed")] = math.log(4.0)
    draws = fixed_draws(announced, rate=0.5, beta=beta)
    rows = {r["id"]: r for r in signal_rows(announced, draws)}
    assert rows["2024-06-17-announcement"]["term"] == "announced_meeting"
    assert rows["2024-06-17-announcement"]["window_end"] == "2024-06-19"
    claims = {r["id"]: r["claim"] for r in rows.values()}
    assert claims["2024-06-17-announcement"] == "announced_meeting"
    assert claims["2024-06-10-media"] == claims["2024-06-12-intelligence"] == "framed_claim"
    assert claims["2024-05-30-confirmation"] is None  # no window stated
    assert rows["2024-06-10-media"]["time_frame"] == "in the coming weeks"
    assert rows["2024-06-12-intelligence"]["term"] == "signal_assessed"
    # spent signals about the same meeting are not listed: Peskov's denial of 2023-10-03 (258
    # days old, forgotten after 4 x 30) and January's confirmations (4 x 30 as well); the
    # invitation of 2023-09-14 still counts (277 days, forgotten after 4 x 90)
    assert "2023-10-03-denial" not in rows and "2024-01-15-confirmation" not in rows
    assert rows["2023-09-14-invitation"]["term"] == "signal_invited"
    assert "2024-05-30-confirmation" in rows and "2023-09-05-denial" not in rows  # neutral
    # the two 2019 announcements, each followed by the meeting within 30 days
    ann = rows["2024-06-17-announcement"]
    assert (ann["record_followed"], ann["record_total"]) == (2, 2)
    p = float(np.mean(1 - survival(announced, draws)[:, -1]))
    # only signal_assessed has an effect among the decaying terms: leaving out the one
    # assessment lowers P, a confirmation without dates does not
    assert rows["2024-06-12-intelligence"]["p_without"] < p - 1e-6
    assert rows["2024-05-30-confirmation"]["p_without"] == pytest.approx(p)
    # Vedomosti's "coming weeks" is a time-framed claim, Jun 11 - Jul 8: it counts on Jun 20-30,
    # after the announced window, so leaving it out lowers P
    assert rows["2024-06-10-media"]["p_without"] < p - 1e-6
    # the two rows of the announcement: leaving one out changes nothing (the other says the
    # same); leaving out both hands Jun 18-19 to the shortest time-framed claim, NHK's "early
    # next week" (Jun 17-19, days 2 and 3 of 3). By hand, with q = 0.8 and q_f = 0.5:
    assert ann["p_without"] == pytest.approx(p)
    assert rows["2024-06-17-announcement-2"]["p_without_kind"] == ann["p_without_kind"]
    quiet = replace(announced.paths[0], announced=None)
    background = float(1 - path_survival(quiet, draws)[0, -1])
    q, qf = 0.8, 0.5
    vedomosti = np.log(28 - 9 * qf) - np.log(28 - 20 * qf)  # Jun 20-30, days 10-20 of 28
    nhk = np.log(3 - qf) - np.log(3 - 3 * qf)  # Jun 18-19, days 2 and 3 of 3
    assert p == pytest.approx(1 - (1 - background) * (1 - q) * np.exp(-vedomosti), rel=1e-9)
    assert ann["p_without_kind"] == pytest.approx(
        1 - (1 - background) * np.exp(-nhk - vedomosti), rel=1e-9
    )


def test_terminal_lines_one_per_live_signal(announced, fixed_draws):
    rows = signal_rows(announced, fixed_draws(announced, rate=0.5))
    lines = signal_lines({"as_of": "2024-06-17", "signals": rows})
    assert lines[1] == "News and signals live on 2024-06-17:"
    assert len(lines) == 2 + len(rows)
    assert any("[2024-06-18 to 2024-06-19]" in line for line in lines)
    # Vedomosti's "coming weeks" of Jun 10, read as the 28 days from Jun 11 (it is public at the
    # end of Jun 10) to Jul 8, is marked as a time-framed claim
    (vedomosti,) = [line for line in lines if "Vedomosti" in line]
    assert "[2024-06-11 to 2024-07-08 (time frame: in the coming weeks; a time-framed claim)]" in (
        vedomosti
    )
    assert all(", without its kind " in line for line in lines[2:])
    assert signal_lines({"as_of": "2024-06-17", "signals": []}) == []


def test_the_kept_probability_is_summarised_from_the_draws(announced, fixed_draws, june_data):
    from forecast.io.signals_part import announced_line, announced_summary

    draws = fixed_draws(announced, rate=0.5, n=4, kept=0.8)
    summary = announced_summary(announced, draws)
    assert summary["p50"] == pytest.approx(0.8) and summary["lo"] == pytest.approx(0.8)
    assert (summary["prior_low"], summary["prior_high"], summary["prior_confidence"]) == (
        0.6,
        0.97,
        0.8,
    )
    (line,) = announced_line({"announced": summary})
    assert line.startswith("An official announcement with dates is kept with probability 0.80")
    # without the signal terms there is no q: nothing to summarise or print
    assert announced_summary(june_data, fixed_draws(june_data, rate=0.5)) is None
    assert announced_line({"announced": None}) == []


def test_a_window_shown_starts_where_it_counts():
    """A stated start is shown as stated; a window stated by its end only (a time frame)
    starts the day after the signal's date; no end, no window."""
    from datetime import date

    from forecast.io.signals_part import window_text

    assert window_text("2024-06-18", "2024-06-19", "2024-06-17") == "2024-06-18 to 2024-06-19"
    assert window_text(None, "2024-07-08", "2024-06-10") == "2024-06-11 to 2024-07-08"
    assert window_text(None, date(2019, 5, 1), date(2019, 4, 30)) == "2019-05-01 to 2019-05-01"
    assert window_text(None, None, "2024-06-10") == ""


@pytest.mark.parametrize(("as_of", "listed"), [("2024-01-30", True), ("2024-01-31", False)])
def test_a_denial_is_listed_until_its_family_forgets_it(
    dataset, june_raw, fixed_draws, as_of, listed
):
    """Peskov's "not yet" of 2023-10-03 counts from Oct 4 for 4 half-lives of 30 days, through
    2024-01-31 (age 119 days): listed as of Jan 30 (horizon from Jan 31), not as of Jan 31."""
    from forecast.config.scenario import parse_scenario
    from forecast.design.prepare import prepare
    from forecast.io.signals_part import still_counts
    from forecast.terms import Context
    from forecast.terms.signal_live import live_signals

    raw = dict(june_raw, as_of=as_of, horizon_end="2024-03-31", indicators=[])
    raw["windows"] = [{"name": "February", "start": "2024-02-01", "end": "2024-02-29"}]
    raw["venues"] = {"judgments": []}
    raw.pop("ceasefire", None)
    raw["model"] = {"signals": True}
    data = prepare(parse_scenario(raw), dataset)
    ctx = Context(data.record, data.scenario, data.horizon_dates[:1])
    (denial,) = [x for x in live_signals(ctx) if x.signal.id == "2023-10-03-denial"]
    assert denial.on(data.horizon_dates[:1])[0]  # about the next meeting either way
    assert still_counts(denial, data) is listed
    rows = signal_rows(data, fixed_draws(data, rate=0.5))
    assert ("2023-10-03-denial" in {r["id"] for r in rows}) is listed


def test_the_news_to_come_is_summarised_against_the_live_news_alone(announced, fixed_draws):
    from forecast.io.signals_part import news_line, news_summary

    beta = np.zeros(len(announced.term_names))
    beta[announced.term_names.index("signal_reported")] = math.log(3.0)
    draws = fixed_draws(announced, rate=0.5, beta=beta)
    summary = news_summary(announced, draws)
    path = announced.paths[0]
    assert path.news is not None
    alone = path_survival(replace(path, news=None), draws)
    assert summary["p_without"] == pytest.approx(float(np.mean(1 - alone[:, -1])))
    first = announced.scenario.windows[0]
    lo = (first.start - announced.scenario.as_of).days - 1
    hi = (first.end - announced.scenario.as_of).days
    assert summary["first_window_without"] == pytest.approx(
        float(np.mean(alone[:, lo] - alone[:, hi]))
    )
    # the news to come only adds: the forecast with it is at least the live news's
    p = float(np.mean(1 - survival(announced, draws)[:, -1]))
    assert p > summary["p_without"]
    doc = {
        "as_of": "2024-06-17",
        "horizon_end": "2024-07-31",
        "headline": {"by_horizon_end": {"p": p}, "first_window": {"name": "w", "p": 0.9}},
        "news_to_come": summary,
    }
    (line,) = news_line(doc)
    assert f"alone, {100 * summary['p_without']:.0f}% by 2024-07-31 (with it {100 * p:.0f}%)" in (
        line
    )
    assert news_line({**doc, "news_to_come": None}) == []
    off = replace(announced, paths=tuple(replace(q, news=None) for q in announced.paths))
    assert news_summary(off, draws) is None


def test_a_signal_spent_by_its_own_meeting_is_not_in_the_record_rate(scenarios_dir, fixed_draws):
    """Kim-Xi, as of the day China announced Kim's attendance at the 2025 parade: its record
    holds three earlier announcements with dates, two made on the day of their own meeting
    (2018-06-19, 2019-01-08: spent by it, no forecast of a meeting) and Xi's state visit,
    announced 2019-06-17 three days ahead; the rate is one of one, not one of three."""
    from forecast.config.scenario import parse_scenario
    from forecast.config.yaml_loader import load_yaml
    from forecast.design.prepare import prepare
    from forecast.domain.record import load_dataset

    raw = load_yaml(scenarios_dir / "kim-xi-2026.yaml")
    raw.update(
        as_of="2025-08-28",
        horizon_end="2025-09-10",
        windows=[{"name": "parade", "start": "2025-09-03", "end": "2025-09-03"}],
    )
    raw["model"] = {"signals": True}
    data = prepare(parse_scenario(raw), load_dataset("kim-xi"))
    rows = {r["id"]: r for r in signal_rows(data, fixed_draws(data, rate=0.5))}
    ann = rows["2025-08-28-announcement"]
    assert ann["term"] == "announced_meeting"
    assert (ann["record_followed"], ann["record_total"]) == (1, 1)
