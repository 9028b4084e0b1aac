"""Claims scored off their counting days: a claim superseded by a better one or ended by a
cancellation is still scored over its window (forecast.design.announced.claim_outcomes), with
values and scores computed by hand."""

from dataclasses import replace
from datetime import date

import numpy as np
import pytest

from forecast.design.announced import outcome_logp
from forecast.design.paths import daily_path
from forecast.terms import timing_terms

Q, Q_FRAMED = 0.8, 0.4  # q and q_f in the hand computations, distinct


def _history(record, scenario, end):
    """The history path to ``end`` as known that day, claims scored off their days."""
    record = record.known_on(end)
    scenario = scenario.model_copy(update={"as_of": end})
    terms = timing_terms(scenario, record.dyad)
    return daily_path(record, scenario, terms, date(2024, 1, 1), end, outcomes=True)


def _entries(path):
    o = path.outcomes
    c = o.claims
    return [
        (int(c.length[i]), int(c.day[i]), int(c.framed[i]), int(o.met[i])) for i in range(len(o))
    ]


REPORT = dict(window_start=date(2024, 6, 10), window_end=date(2024, 7, 7))  # 28 days
OFFICIAL = dict(window_start=date(2024, 6, 18), window_end=date(2024, 6, 19))


def test_a_report_superseded_by_the_official_dates_is_scored_to_the_meeting(signal, base):
    record, scenario = base  # the second summit is on 2024-06-19
    record = replace(
        record,
        signals=(
            signal(date(2024, 6, 9), "media_report_citing_sources", **REPORT),
            signal(date(2024, 6, 16), "official_announcement_with_dates", **OFFICIAL),
        ),
    )
    path = _history(record, scenario, date(2024, 6, 30))
    # the report counts Jun 10-17; the official dates Jun 18-19; the report is scored on
    # those two days (days 9 and 10 of its 28), the meeting on the second
    assert _entries(path) == [(28, 9, 1, 0), (28, 10, 1, 1)]
    # by hand: not on day 9 given not before, then on day 10 given not before
    qf = Q_FRAMED
    expected = np.log((28 - 9 * qf) / (28 - 8 * qf)) + np.log(qf / (28 - 9 * qf))
    assert outcome_logp(Q, qf, path.outcomes) == pytest.approx(expected)
    # with its counting days, the report's score is that of a claim alone: q_f / 28 for a
    # meeting on day 10 (the counting days' share is -sum c_k over days 1-8)
    counted = np.log((28 - 8 * qf) / 28)
    assert counted + outcome_logp(Q, qf, path.outcomes) == pytest.approx(np.log(qf / 28))
    # before the meeting (as of Jun 18) only the first of those days is known, and not as met
    early = _history(record, scenario, date(2024, 6, 18))
    assert _entries(early) == [(28, 9, 1, 0)]


def test_a_report_the_official_dates_outrank_on_every_day_is_still_scored(base, signal):
    """Kyodo, 2019-04-18: the dates of the visit reported on the day of the official
    announcement, which outranks the report on every day of its window."""
    record, scenario = base  # the second summit is on 2024-06-19
    three = dict(window_start=date(2024, 6, 18), window_end=date(2024, 6, 20))
    record = replace(
        record,
        signals=(
            signal(date(2024, 6, 16), "official_announcement_with_dates", **OFFICIAL),
            signal(date(2024, 6, 16), "media_report_citing_sources", **three),
        ),
    )
    path = _history(record, scenario, date(2024, 6, 30))
    assert path.announced.framed.sum() == 0.0  # the report never counts
    # it is the only time-framed claim, so the most specific of its class: scored on its live
    # days (the meeting ends it on its second), borne out on the second
    assert _entries(path) == [(3, 1, 1, 0), (3, 2, 1, 1)]
    qf = Q_FRAMED
    expected = np.log((3 - qf) / 3) + np.log(qf / (3 - qf))  # = log(q_f / 3), a claim alone
    assert outcome_logp(Q, qf, path.outcomes) == pytest.approx(expected)
    assert expected == pytest.approx(np.log(qf / 3))


def test_a_cancelled_claim_is_scored_as_not_borne_out(signal, base):
    record, scenario = base
    may9 = dict(window_start=date(2024, 5, 9), window_end=date(2024, 5, 9))
    record = replace(
        record,
        signals=(
            signal(date(2024, 3, 1), "official_confirmation_without_dates", id="a", **may9),
            signal(date(2024, 3, 20), "official_confirmation_without_dates", id="b", **may9),
            signal(date(2024, 4, 30), "cancellation"),
        ),
    )
    path = _history(record, scenario, date(2024, 5, 31))
    assert path.announced.reliability.sum() == 0.0  # the cancellation ended both
    # one entry: the claim that would have counted on May 9 (the repetition is not scored
    # twice), not borne out: 1 - q_f
    assert _entries(path) == [(1, 1, 1, 0)]
    assert outcome_logp(Q, Q_FRAMED, path.outcomes) == pytest.approx(np.log(1 - Q_FRAMED))
    # as of May 8 its day has not come: nothing is scored yet (no look-ahead)
    assert _entries(_history(record, scenario, date(2024, 5, 8))) == []


def test_a_cancelled_announcement_that_is_kept_after_all_scores_as_kept(signal, base):
    """Singapore 2018: the dates were called off, then the meeting came on them."""
    record, scenario = base
    record = replace(
        record,
        signals=(
            signal(date(2024, 6, 1), "official_announcement_with_dates", id="a", **OFFICIAL),
            signal(date(2024, 6, 5), "cancellation"),
            signal(date(2024, 6, 10), "official_announcement_with_dates", id="b", **OFFICIAL),
        ),
    )
    path = _history(record, scenario, date(2024, 6, 30))
    # the second announcement counts on Jun 18-19; the first is scored there as an official
    # announcement's claim, borne out on its second day
    assert _entries(path) == [(2, 1, 0, 0), (2, 2, 0, 1)]
    expected = np.log((2 - Q) / 2) + np.log(Q / (2 - Q))
    assert outcome_logp(Q, Q_FRAMED, path.outcomes) == pytest.approx(expected)


def test_a_claim_that_counts_throughout_is_not_scored_again(signal, base):
    record, scenario = base
    record = replace(
        record,
        signals=(signal(date(2024, 6, 16), "official_announcement_with_dates", **OFFICIAL),),
    )
    path = _history(record, scenario, date(2024, 6, 30))
    assert path.announced.reliability.sum() == 2.0 and len(path.outcomes) == 0
    assert outcome_logp(Q, Q_FRAMED, path.outcomes) == 0.0


def test_no_claims_are_scored_on_a_horizon_or_with_the_signal_terms_off(signal, base):
    record, scenario = base
    record = replace(
        record,
        signals=(
            signal(date(2024, 6, 9), "media_report_citing_sources", **REPORT),
            signal(date(2024, 6, 16), "official_announcement_with_dates", **OFFICIAL),
        ),
    )
    terms = timing_terms(scenario, record.dyad)
    horizon = daily_path(record, scenario, terms, date(2024, 6, 1), date(2024, 6, 30))
    assert len(horizon.outcomes) == 0
    off = scenario.model_copy(
        update={"model": scenario.model.model_copy(update={"signals": False})}
    )
    hist = daily_path(record, off, terms, date(2024, 1, 1), date(2024, 6, 30), outcomes=True)
    assert len(hist.outcomes) == 0


def test_the_score_takes_draws_and_pads_to_zero():
    from forecast.design.announced import Announced, Outcomes

    claims = Announced(
        np.array([1.0, 0.0]),
        np.array([4.0, 1.0]),
        np.array([2.0, 0.0]),
        np.zeros((2, 0)),
        np.array([1.0, 0.0]),
    )
    scored = Outcomes(claims, np.array([1.0, 0.0]))
    qf = np.array([[0.2], [0.6]])
    got = outcome_logp(np.full((2, 1), Q), qf, scored)
    np.testing.assert_allclose(got, np.log(qf[:, 0]) - np.log(4 - qf[:, 0]))
