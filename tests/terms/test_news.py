"""The news still to come (forecast/design/news.py) on a small hand-made record, against values
computed by hand; no look-ahead; how the forecast's hazard uses it."""

from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from forecast.design.news import LAGS, signal_columns, uplift
from forecast.design.prepare import prepare
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.predict import Draws, daily_hazards

MEETING = date(2024, 6, 19)  # the base record's second summit (the first, 2019-04-25, had no news)
LOG_RATE = np.array([-1.0, -2.5])


def _lag(lag):
    return LAGS.index(lag)


def _no_news_total(data, beta):
    """The no-news hazard summed over the history's segments, per draw (a sum over segments of
    exposure times the rate with every signal column zero)."""
    X = data.history.X * (~signal_columns(data.timing_terms))[None, :]
    rate = np.exp(LOG_RATE[:, None] + beta @ X.T)
    return (rate * data.history.exposure[None, :]).sum(axis=1)


def _beta(data, **by_name):
    beta = np.zeros((len(LOG_RATE), len(data.term_names)))
    for name, value in by_name.items():
        beta[:, data.term_names.index(name)] = value
    return beta


def test_a_report_five_days_before_the_meeting_explains_it_from_the_sixth_lag(signal, base):
    record, scenario = base
    report = signal(MEETING - timedelta(days=5), "media_report_citing_sources")
    data = prepare(scenario, replace(record, signals=(report,)))
    news = data.paths[0].news
    b_r = 1.3
    beta = _beta(data, signal_reported=b_r, war=0.4)
    g = uplift(news, LOG_RATE, beta)
    # on the meeting's day the report (public from Jun 15, four days old: week 0) gives the
    # column log2(1 + 1) = 1, so its share of the day's hazard is (e^b - 1) / e^b; news of
    # fewer than 6 days before the meeting does not hold it (Jun 19 - Jun 14 = 5 days)
    share = (np.exp(b_r) - 1.0) / np.exp(b_r)
    expected = 1.0 + share / _no_news_total(data, beta)
    for lag in LAGS:
        want = np.ones(2) if lag <= 5 else expected
        np.testing.assert_allclose(g[:, _lag(lag)], want, rtol=1e-12, err_msg=str(lag))


def test_an_announced_window_explains_its_meeting_by_its_claim_hazard(signal, base):
    record, scenario = base
    ann = signal(
        date(2024, 6, 17),
        "official_announcement_with_dates",
        window_start=date(2024, 6, 18),
        window_end=MEETING,
    )
    data = prepare(scenario, replace(record, signals=(ann,)))
    news = data.paths[0].news
    beta = _beta(data)
    q = np.array([0.9, 0.6])
    logit = np.log(q / (1 - q))
    g = uplift(news, LOG_RATE, beta, logit, np.zeros(2))
    # the meeting came on the window's 2nd of 2 days: the claim's hazard that day is
    # log(2 - q) - log(2 - 2q), the no-news hazard e^log_rate per year
    claim = np.log(2 - q) - np.log(2 - 2 * q)
    l0 = np.exp(LOG_RATE) / DAYS_PER_YEAR
    expected = 1.0 + (claim / (l0 + claim)) / _no_news_total(data, beta)
    for lag in LAGS:
        want = np.ones(2) if lag <= 2 else expected  # Jun 19 - Jun 17 = 2 days
        np.testing.assert_allclose(g[:, _lag(lag)], want, rtol=1e-12, err_msg=str(lag))
    # without the claim probabilities the claim adds nothing
    np.testing.assert_allclose(uplift(news, LOG_RATE, beta), 1.0)


def test_news_no_meeting_followed_adds_nothing(signal, base):
    record, scenario = base
    # a report a year after the last meeting, and a confirmation long before the first
    late = signal(date(2025, 3, 1), "media_report_citing_sources")
    early = signal(date(2018, 1, 5), "official_confirmation_without_dates")
    data = prepare(scenario, replace(record, signals=(early, late)))
    beta = _beta(data, signal_reported=2.0, signal_confirmed=2.0)
    np.testing.assert_allclose(uplift(data.paths[0].news, LOG_RATE, beta), 1.0)


def test_no_look_ahead_a_meeting_after_as_of_is_not_in_the_news(signal, base):
    record, scenario = base
    report = signal(MEETING - timedelta(days=5), "media_report_citing_sources")
    record = replace(record, signals=(report,))
    as_of = MEETING - timedelta(days=1)
    early = scenario.model_copy(
        update={"as_of": as_of, "horizon_end": date(2024, 12, 31), "windows": scenario.windows[:1]}
    )
    early = early.model_copy(
        update={
            "windows": [w.model_copy(update={"start": date(2024, 7, 1)}) for w in early.windows]
        }
    )
    data = prepare(early, record.known_on(as_of))
    news = data.paths[0].news
    assert len(news.meeting_base) == 1  # 2019 only, which no news preceded
    np.testing.assert_allclose(uplift(news, LOG_RATE, _beta(data, signal_reported=1.3)), 1.0)


def test_the_horizon_hazard_is_multiplied_by_the_longest_lag_not_after_each_day(signal, base):
    record, scenario = base
    report = signal(MEETING - timedelta(days=5), "media_report_citing_sources")
    data = prepare(scenario, replace(record, signals=(report,)))
    path = data.paths[0]
    n = len(LOG_RATE)
    beta = _beta(data, signal_reported=1.3)
    draws = Draws(LOG_RATE, beta, np.zeros((n, 4)), np.zeros((n, len(data.venue_terms))))
    with_news, _ = daily_hazards(path, draws)
    without, _ = daily_hazards(replace(path, news=None), draws)
    g = uplift(path.news, LOG_RATE, beta)
    for day in (1, 2, 5, 6, 7, 13, 100, len(path.active)):  # days after as_of
        lag = max(k for k, v in enumerate(LAGS) if v <= day)
        np.testing.assert_allclose(with_news[:, day - 1], without[:, day - 1] * g[:, lag])
    assert np.all(with_news[:, :5] == without[:, :5])  # the report held its meeting at lag 6


def test_news_to_come_is_on_with_the_signal_terms_unless_turned_off(base, june):
    record, scenario = base
    assert prepare(scenario, record).paths[0].news is not None
    off = scenario.model_copy(
        update={"model": scenario.model.model_copy(update={"news_to_come": False})}
    )
    assert prepare(off, record).paths[0].news is None
    assert prepare(june, record).paths[0].news is None  # the signal terms off: no news either
