"""analysis.explore: the hazard, effects and convergence tables on known answers and a run,
the notebook's settings, and loading a run without sampling."""

from __future__ import annotations

import math
import shutil

import numpy as np
import pytest

from forecast import workflow
from forecast.analysis import explore
from forecast.errors import InputError
from forecast.io.rundir import load_run


def test_historical_hazard_known_answer(june_data, fixed_draws):
    k = june_data.history.names.index("border_closure")
    beta = np.zeros(len(june_data.history.names))
    beta[k] = math.log(0.1)
    hz = explore.historical_hazard(june_data, fixed_draws(june_data, 0.5, n=3, beta=beta))
    closed = june_data.history.X[:, k] == 1
    assert closed.any() and (~closed).any()
    other = np.delete(june_data.history.X, k, axis=1)
    plain = ~closed & np.all(other == 0, axis=1)
    np.testing.assert_allclose(hz["mean"].values[closed & np.all(other == 0, axis=1)], 0.05)
    np.testing.assert_allclose(hz["mean"].values[plain], 0.5)
    np.testing.assert_allclose(hz["lo"].values, hz["hi"].values)
    assert hz.sizes["segment"] == len(june_data.history.exposure)


def test_effects_tree_is_on_the_stated_scale(tiny_run_dir):
    run = load_run(tiny_run_dir)
    data = run.model_data()
    tree = explore.effects_tree(data, run.idata)
    names = list(run.document.effect_names)
    assert list(tree["posterior"].data_vars) == names == list(explore.effect_priors(data))
    post = run.idata["posterior"]
    np.testing.assert_allclose(tree["posterior"]["baseline"].values, post["log_rate"].values)
    scale = explore.effect_priors(data)["wartime_travel"][2].scale
    assert scale > 1
    np.testing.assert_allclose(
        tree["posterior"]["wartime_travel"].values,
        post["venue_beta"].sel(venue_attr="wartime_travel").values * scale,
    )
    # Its median is the one forecast.json reports.
    for row in run.document.effects:
        med = float(np.median(np.exp(tree["posterior"][row.name].values)))
        assert med == pytest.approx(row.posterior_multiplier.p50, rel=1e-9)


def test_convergence_table_and_divergences(tiny_run_dir):
    run = load_run(tiny_run_dir)
    table = explore.convergence_table(run.idata)
    data = run.model_data()
    params = 1 + len(data.timing_terms) + len(data.dyad.alternatives) + len(data.venue_terms)
    assert len(table) == params
    assert list(table.columns) == ["mean", "sd", "ess_bulk", "ess_tail", "r_hat", "problem"]
    for _, row in table.iterrows():
        low_ess = min(row["ess_bulk"], row["ess_tail"]) < 400
        assert ("ESS < 400" in row["problem"]) == low_ess
        assert ("R-hat" in row["problem"]) == (row["r_hat"] > 1.01)
    div = explore.divergences(run.idata)
    assert list(div.index) == [0, 1]
    assert int(div.sum()) == run.document.diagnostics.divergences


# --- settings and runs ------------------------------------------------------------------------


def test_settings_from_env(tmp_path, monkeypatch):
    default = explore.settings_from_env({})
    assert default.run_dir.name == "june-anniversary" and default.run_dir.parent.name == "reports"
    assert default.scenario.is_file()
    assert not default.run_given and not default.scenario_given
    monkeypatch.chdir(tmp_path)
    s = explore.settings_from_env(
        {"SUMMIT_RUN_DIR": "runs/x", "SUMMIT_DRAWS": " 50 ", "SUMMIT_SEED": "0"}, root=tmp_path
    )
    assert s.run_dir == tmp_path / "runs" / "x" and s.run_given and not s.scenario_given
    assert (s.draws, s.tune, s.chains, s.seed) == (50, 500, 2, 0)


def test_relative_paths_resolve_against_the_project_root_not_the_kernel_folder(
    tmp_path, monkeypatch
):
    """Jupyter starts the kernel in notebooks/: reports/x still means <root>/reports/x."""
    (tmp_path / "pyproject.toml").write_text("[project]\n", encoding="utf-8")
    (tmp_path / "forecast").mkdir()
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    assert explore.project_root() == tmp_path
    s = explore.settings_from_env({"SUMMIT_RUN_DIR": "reports/before-ceasefire"})
    assert s.run_dir == tmp_path / "reports" / "before-ceasefire"
    assert explore.settings_from_env({}).run_dir == tmp_path / "reports" / "june-anniversary"
    with pytest.raises(InputError, match="inside .*notebooks; expected a run directory"):
        explore.settings_from_env({"SUMMIT_RUN_DIR": "notebooks/reports/x"})


def test_a_chosen_missing_run_is_an_error_not_a_default_run(tmp_path):
    missing = tmp_path / "reports" / "before-ceasefire"
    settings = explore.settings_from_env({"SUMMIT_RUN_DIR": str(missing)}, root=tmp_path)
    with pytest.raises(InputError) as err:
        workflow.ensure_run(settings)  # would sample (and fail the no-MCMC guard) if it ran
    message = str(err.value)
    assert message.startswith(f"environment: SUMMIT_RUN_DIR: no run directory {missing};")
    assert "set SUMMIT_SCENARIO" in message and "\n" not in message
    assert not missing.exists()


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("SUMMIT_DRAWS", "many", "expected a positive integer, got 'many'"),
        ("SUMMIT_CHAINS", "0", "expected a positive integer, got '0'"),
        ("SUMMIT_SEED", "-1", "expected a non-negative integer, got '-1'"),
    ],
)
def test_settings_from_env_errors(name, value, expected):
    with pytest.raises(InputError) as err:
        explore.settings_from_env({name: value})
    assert str(err.value) == f"environment: {name}: {expected}"


def test_ensure_run_loads_without_sampling_and_never_overwrites(tiny_run_dir, tmp_path):
    run_dir = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run_dir)
    before = (run_dir / "forecast.json").stat().st_mtime_ns
    saved = workflow.ensure_run(explore.ExploreSettings(run_dir=run_dir))
    assert saved.path == run_dir and (run_dir / "forecast.json").stat().st_mtime_ns == before
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="forecast.json: missing"):
        workflow.ensure_run(explore.ExploreSettings(run_dir=broken))
    assert sorted(p.name for p in broken.iterdir()) == ["notes.txt"]


def test_signal_episodes_time_each_signal_against_the_meeting_that_followed(signals_as_of):
    """As of 2024-06-17 (the Kremlin's announcement), by hand from signals.csv: 2015 and 2018
    were followed by no meeting, 2019 and 2023 by theirs, and 2024's is still open; a
    signal's lead time is counted to its episode's meeting, or to the episode's last signal."""
    from datetime import date

    from forecast.analysis.explore import signal_episodes

    table = signal_episodes(signals_as_of("2024-06-17"))
    status = table.groupby("episode", sort=False)["status"].first().to_dict()
    assert status == {
        "victory-day-2015": "no meeting",
        "visit-2018": "no meeting",
        "vladivostok-2019": "met",
        "vostochny-2023": "met",
        "pyongyang-2024": "open",
    }
    first = table.groupby("episode", sort=False).first()
    assert first.loc["vladivostok-2019", "meeting"] == date(2019, 4, 25)
    assert (
        first.loc["vladivostok-2019", "days_before"] == (date(2019, 4, 25) - date(2019, 3, 4)).days
    )
    # the invitation of 2023-09-14, 277 days before the announcement of 2024-06-17
    assert first.loc["pyongyang-2024", "days_before"] == 277
    assert table["date"].max() == date(2024, 6, 17)  # nothing after as_of
    # a month after the visit the episode has its meeting
    later = signal_episodes(signals_as_of("2024-07-20"))
    row = later[later["episode"] == "pyongyang-2024"].iloc[0]
    assert (row["status"], row["meeting"]) == ("met", date(2024, 6, 19))
    # the Moscow visit's episode opens on the Beijing meeting's day (Putin's invitation
    # there): it is about a meeting still to come, not Beijing, which has an episode of its own
    late = signal_episodes(signals_as_of("2025-09-20"))
    moscow = late[late["episode"] == "moscow-visit-2025-2026"].iloc[0]
    assert (moscow["status"], moscow["meeting"]) == ("open", None)
    beijing = late[late["episode"] == "beijing-2025"].iloc[0]
    assert beijing["meeting"] == date(2025, 9, 3)


def test_claims_exist_only_with_the_signal_terms(june_data, signals_as_of):
    from forecast.analysis.explore import claim_priors

    assert claim_priors(june_data) == {}
    priors = claim_priors(signals_as_of("2024-06-17"))
    assert (priors["q"].low, priors["q"].high) == (0.6, 0.97)
    assert (priors["q_f"].low, priors["q_f"].high) == (0.2, 0.8)


def test_news_to_come_table_gives_g_and_each_meetings_part(signals_as_of, fixed_draws, june_data):
    """As of 2024-06-17 the record's meetings in the fit are 2019-04-25 and 2023-09-13. With
    no signal effects (beta zero) only the claims explain them: Ushakov's dates of 2019-04-23
    two days before Vladivostok, the Kremlin's "coming days" of 2023-09-11 two days before
    Vostochny, so each meeting's part is zero up to the lag of 2 days and positive from 3: all
    of Vladivostok, part of Vostochny (on its day an older report's shorter window counted)."""
    from forecast.design.news import uplift

    data = signals_as_of("2024-06-17")
    draws = fixed_draws(data, rate=0.5, n=3)
    table = explore.news_to_come(data, draws)
    assert list(table.columns[:4]) == ["lag_days", "G", "G_lo", "G_hi"]
    assert list(table.columns[4:]) == ["share 2019-04-25", "share 2023-09-13"]
    news = data.paths[0].news
    g = uplift(news, draws.log_rate, draws.beta, draws.announce_logit, draws.framed_logit)
    np.testing.assert_allclose(table["G"], g.mean(axis=0))
    at = table.set_index("lag_days")
    assert at.loc[1, "G"] == 1.0 and (at.loc[[1, 2], table.columns[4:]] == 0).all().all()
    assert at.loc[3, "share 2019-04-25"] > 0.9 and 0 < at.loc[3, "share 2023-09-13"] < 0.9
    assert at["G"].is_monotonic_increasing  # no signal against a meeting has an effect here
    assert explore.news_to_come(june_data, fixed_draws(june_data, rate=0.5)) is None
