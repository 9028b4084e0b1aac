"""analysis.influence: importance weights towards a target, and the leave-one-out shifts, which
start from the forecast itself."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.analysis.influence import influences, psis_weights
from forecast.io.rundir import load_run
from forecast.predict import Draws


def test_psis_reweights_towards_the_target():
    x = np.random.default_rng(0).normal(size=4000)  # draws from N(0, 1)
    w, k = psis_weights(x - 0.5)  # log N(x; 1, 1) - log N(x; 0, 1)
    assert w.sum() == pytest.approx(1.0)
    assert w @ x == pytest.approx(1.0, abs=0.1)
    assert k < 0.7


def test_leave_one_out_starts_from_the_forecast_itself(tiny_run_dir):
    """With nothing left out, the influence arithmetic reproduces forecast.json exactly."""
    saved = load_run(tiny_run_dir)
    doc = saved.document
    draws = Draws.from_dataset(saved.idata["posterior"].to_dataset())
    found = {i.stated.id: i for i in influences(saved.model_data(), draws)}
    assert set(found) == {i.id for i in saved.scenario.indicators} | {
        j.id for j in saved.scenario.venues.judgments
    }
    venues = {v.venue: v.p for v in doc.venues}
    for inf in found.values():
        if inf.by_end:
            assert inf.by_end[0] == pytest.approx(doc.headline.by_horizon_end.p, 1e-12)
            assert inf.first_window[0] == pytest.approx(doc.headline.first_window.p, 1e-12)
        if inf.venue:
            assert inf.venue[1] == pytest.approx(venues[inf.venue[0]], 1e-12)
    anniversary = found["treaty_anniversary"]
    assert anniversary.first_window[1] < anniversary.first_window[0]  # its window loses its lift
    assert found["exchange_momentum"].pareto_k is not None


def test_a_statement_whose_term_is_zero_over_the_horizon_has_no_effect(before_data, fixed_draws):
    """before-ceasefire states a ceasefire effect while the war continues throughout: the
    ceasefire term is zero on every day of the record (no ceasefire yet) and of the horizon, so
    leaving the statement out cannot move the forecast and the report must not print Monte
    Carlo noise as a shift."""
    from forecast.effects import effect

    assert effect(before_data, "ceasefire").inert(before_data)
    assert not effect(before_data, "exchanges").inert(before_data)
    # zero over the horizon but not in the record (2020-2023): it can still move the forecast
    assert not effect(before_data, "border_closure").inert(before_data)
    base = fixed_draws(before_data, 0.5, n=200)
    rng = np.random.default_rng(1)
    draws = Draws(
        log_rate=base.log_rate + rng.normal(0, 0.3, base.log_rate.shape),
        beta=base.beta + rng.normal(0, 0.3, base.beta.shape),
        venue_asc=base.venue_asc + rng.normal(0, 0.3, base.venue_asc.shape),
        venue_beta=base.venue_beta + rng.normal(0, 0.3, base.venue_beta.shape),
    )
    found = {i.stated.id: i for i in influences(before_data, draws)}
    cease = found["ceasefire_cools_putin"]
    assert not cease.acts and cease.by_end is None and cease.first_window is None
    assert found["exchange_momentum"].acts and found["exchange_momentum"].by_end is not None


def test_the_run_s_horizon_sums_give_the_same_influences(tiny_run_dir):
    """A run hands the report its survival and whole-horizon venue sums (RunFiles.horizon);
    the influences from them are those computed afresh, to the last bit."""
    from forecast.predict import forecast_spans, mixture_sums

    saved = load_run(tiny_run_dir)
    data = saved.model_data()
    draws = Draws.from_dataset(saved.idata["posterior"].to_dataset())
    surv, sums = mixture_sums(data, draws, forecast_spans(data))
    fresh = influences(data, draws)
    reused = influences(data, draws, (surv, sums[:, -1, :]))
    assert [i.stated.id for i in reused] == [i.stated.id for i in fresh]
    assert any(i.venue for i in fresh) and any(i.by_end for i in fresh)
    for a, b in zip(fresh, reused, strict=True):
        assert (a.by_end, a.first_window, a.venue, a.pareto_k) == (
            b.by_end,
            b.first_window,
            b.venue,
            b.pareto_k,
        )
