"""Every term kind's values on the history and the horizon, against values computed by hand."""

from datetime import date, timedelta

import numpy as np
import pytest

from forecast.design.paths import daily_path, segments, venue_attributes
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.terms import timing_terms, venue_terms
from forecast.terms.wartime_travel import travel_scale


def _col(path, name):
    return path.X[:, path.names.index(name)]


def _on(path, day):
    return int(np.flatnonzero(path.dates == np.datetime64(day, "D"))[0])


def test_exchange_intensity_decays_at_knots(tiny):
    record, scenario = tiny
    covs = timing_terms(scenario, record.dyad)
    path = daily_path(record, scenario, covs, date(2024, 1, 1), date(2024, 4, 30))
    x = _col(path, "exchanges")
    assert x[_on(path, date(2024, 1, 10))] == 0.0  # still under way
    assert x[_on(path, date(2024, 1, 11))] == pytest.approx(1.0)  # the day after it ends
    # constant until the next knot (Jan 16), then 2^(-5/60)
    assert x[_on(path, date(2024, 1, 15))] == pytest.approx(1.0)
    assert x[_on(path, date(2024, 1, 16))] == pytest.approx(2 ** (-5 / 60))
    # Mar 1 knot: age 50 days; Mar 6: the M2 visit (weight 0.5) becomes known
    assert x[_on(path, date(2024, 3, 3))] == pytest.approx(2 ** (-50 / 60))
    assert x[_on(path, date(2024, 3, 6))] == pytest.approx(2 ** (-55 / 60) + 0.5)


def test_time_since_last_summit(tiny):
    record, scenario = tiny
    covs = timing_terms(scenario, record.dyad)
    path = daily_path(record, scenario, covs, date(2024, 6, 1), date(2024, 9, 2))
    gap = _col(path, "since_last_summit")
    # the summit day itself still carries the Jun 16 knot value (since 2019-04-25)
    assert gap[_on(path, date(2024, 6, 19))] == pytest.approx(
        np.log2((date(2024, 6, 16) - date(2019, 4, 25)).days / DAYS_PER_YEAR)
    )
    # the next day resets, floored at min_gap_days = 60
    assert gap[_on(path, date(2024, 6, 20))] == pytest.approx(np.log2(60 / DAYS_PER_YEAR))
    assert gap[_on(path, date(2024, 8, 16))] == pytest.approx(np.log2(60 / DAYS_PER_YEAR))
    assert gap[_on(path, date(2024, 8, 31))] == pytest.approx(np.log2(60 / DAYS_PER_YEAR))
    assert gap[_on(path, date(2024, 9, 1))] == pytest.approx(np.log2(74 / DAYS_PER_YEAR))


def test_windows_and_states(tiny):
    record, scenario = tiny
    covs = timing_terms(scenario, record.dyad)
    path = daily_path(record, scenario, covs, date(2022, 2, 20), date(2025, 7, 10))
    war = _col(path, "war")
    assert war[_on(path, date(2022, 2, 23))] == 0 and war[_on(path, date(2022, 2, 24))] == 1
    ann = _col(path, "occasion:treaty_anniversary")  # Jun 19 -14/+14, only from 2025
    assert ann[_on(path, date(2024, 6, 19))] == 0
    assert ann[_on(path, date(2025, 6, 4))] == 0
    assert ann[_on(path, date(2025, 6, 5))] == 1 and ann[_on(path, date(2025, 7, 3))] == 1
    assert ann[_on(path, date(2025, 7, 4))] == 0
    generic = _col(path, "anniversaries")  # the claimed occasion is not counted twice
    assert generic[_on(path, date(2025, 6, 19))] == 0
    assert generic[_on(path, date(2024, 5, 9))] == 1  # Victory Day +-7
    assert generic[_on(path, date(2024, 5, 17))] == 0
    assert np.all(_col(path, "ceasefire") == 0)


def test_segments_are_exact_runs(tiny):
    record, scenario = tiny
    covs = timing_terms(scenario, record.dyad)
    path = daily_path(record, scenario, covs, date(2024, 5, 1), date(2024, 7, 31))
    seg = segments(path)
    assert seg.exposure.sum() * DAYS_PER_YEAR == pytest.approx(len(path.dates))
    assert seg.events.sum() == 1
    hit = int(np.flatnonzero(seg.events)[0])
    assert seg.end[hit] == np.datetime64("2024-06-19")  # a segment ends on the summit day
    for s in range(len(seg.exposure)):  # covariates really are constant inside each segment
        lo = _on(path, seg.start[s].astype(object))
        hi = _on(path, seg.end[s].astype(object))
        assert np.all(path.X[lo : hi + 1] == seg.X[s])


def test_history_segments_of_shipped_scenario(june_data):
    hist = june_data.history
    assert 200 < len(hist.exposure) < 1000  # hundreds of segments, not thousands of days
    assert hist.events.sum() == 3  # 2019, 2023, 2024; the 2025 summit is after as_of
    expected_days = (date(2025, 5, 12) - date(2012, 1, 1)).days + 1
    assert hist.exposure.sum() * DAYS_PER_YEAR == pytest.approx(expected_days)
    border = hist.X[:, hist.names.index("border_closure")]
    assert np.all(hist.events[border == 1] == 0)


def test_venue_attributes(tiny):
    record, scenario = tiny
    days = [date(2024, 6, 19), date(2024, 6, 20)]
    a = venue_attributes(record, scenario, venue_terms(scenario, record.dyad), days)
    turn = a[:, :, 0]
    # before 2024-06-19 the last summit was in Russia (2019): the DPRK's turn to host
    assert turn[0].tolist() == [1, 0, 0, 0, 0]
    # after the Pyongyang summit it is Russia's turn
    assert turn[1].tolist() == [0, 1, 1, 1, 0]
    assert a[0, :, 1] == pytest.approx(travel_scale(record.dyad))  # war active, no ceasefire
    assert a[0, record.dyad.venue_ids.index("dprk"), 1] == 0


def test_ceasefire_switches_off_wartime_travel(dataset, scenarios_dir):
    from forecast.config.scenario import load_scenario
    from forecast.design.prepare import prepare

    after = prepare(load_scenario(scenarios_dir / "after-ceasefire.yaml"), dataset)
    before = prepare(load_scenario(scenarios_dir / "before-ceasefire.yaml"), dataset)
    assert np.all(after.paths[0].venue_attrs[:, :, 1] == 0)
    assert np.all(before.paths[0].venue_attrs[:, :, 1] > 0 - 1e-12)
    assert before.paths[0].venue_attrs[:, 1, 1].min() > 1.5  # Moscow penalised all year
    cease = after.paths[0].X[:, after.term_names.index("ceasefire")]
    assert cease.min() == 1 and after.horizon_dates[0] == np.datetime64("2026-02-27")
    assert before.paths[0].X[:, before.term_names.index("ceasefire")].max() == 0
    # the assumed 2026 EEF is stated, and switches on the scheduled-occasion covariate
    assert any("2026 assumed on Sep 03" in a for a in before.assumptions)
    sched = before.paths[0].X[:, before.term_names.index("scheduled_occasions")]
    on = before.horizon_dates[sched == 1]
    assert on.min() == np.datetime64("2026-08-31") and on.max() == np.datetime64("2026-09-09")
    assert len(on) == (timedelta(days=10)).days


def test_every_kind_says_where_its_default_is_documented(root):
    import re

    from forecast.terms import timing_kinds, venue_kinds

    model_md = (root / "docs" / "model.md").read_text("utf-8")
    headings = set(re.findall(r"^#{2,3} (\d+(?:\.\d+)?)\.? ", model_md, flags=re.M))
    for kind, cls in {**timing_kinds(), **venue_kinds()}.items():
        sections = re.findall(r"§(\d+(?:\.\d+)?)", cls.documented)
        assert sections, kind
        assert set(sections) <= headings, (kind, cls.documented)
        assert cls.label or kind in ("occasion", "wartime_travel"), kind
