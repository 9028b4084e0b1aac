"""The run pipeline: real (short) MCMC runs through the command line and the library: outputs,
stamps, reproducibility and no look-ahead."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from forecast.config.scenario import scenario_sha256
from forecast.config.yaml_loader import load_yaml
from forecast.domain.record import data_sha256, default_data_dir
from forecast.io.outputs import load_posterior

SHIPPED = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))

SMALL = ["--draws", "150", "--tune", "150", "--chains", "2"]


def _numbers(doc):
    keep = ("headline", "by_date", "by_month", "windows", "venues", "median_date", "effects")
    data = doc.to_dict()
    return {k: data[k] for k in keep}


@pytest.mark.slow
@pytest.mark.parametrize("scenario", SHIPPED, ids=lambda p: p.stem)
def test_cli_run_of_each_shipped_scenario(scenario, tmp_path, root):
    out = tmp_path / "run"
    proc = subprocess.run(
        [sys.executable, "-m", "forecast", "run", str(scenario), "--out", str(out), *SMALL],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    pair = {"kim-trump": "Kim–Trump", "kim-xi": "Kim–Xi"}.get(
        load_yaml(scenario).get("dataset", "kim-putin"), "Kim–Putin"
    )
    assert f"P(next {pair} summit by" in proc.stdout
    assert "Venue of the next summit" in proc.stdout
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    doc = json.loads((out / "forecast.json").read_text())
    assert doc["scenario"] == scenario.stem
    for key in (
        "scenario",
        "as_of",
        "horizon_end",
        "by_date",
        "windows",
        "venues",
        "diagnostics",
        "stamp",
    ):
        assert key in doc
    assert doc["stamp"]["scenario_sha256"] == scenario_sha256(scenario)
    assert doc["stamp"]["data_sha256"] == data_sha256(doc["dataset"])
    assert sum(v["p"] for v in doc["venues"]) == pytest.approx(1.0)
    for row in doc["by_date"] + doc["windows"] + doc["venues"]:
        assert 0 <= row["lo"] <= row["p"] <= row["hi"] <= 1 or row["lo"] <= row["hi"]
    for key in ("rhat_max", "ess_bulk_min", "divergences", "sampling_seconds"):
        assert key in doc["diagnostics"]
    tree = load_posterior(out / "posterior.nc", expect=doc["stamp"])
    assert {"posterior", "prior", "sample_stats"} <= set(tree.children)
    assert tree["posterior"]["beta"].sizes == {
        "chain": 2,
        "draw": 150,
        "covariate": sum(1 for e in doc["effects"] if e["group"] == "timing") - 1,
    }
    with pytest.raises(ValueError, match="stamp"):
        load_posterior(out / "posterior.nc", expect={**doc["stamp"], "data_sha256": "0" * 64})


@pytest.fixture(scope="module")
def june_runs(tmp_path_factory, june_path):
    """The june scenario three times: twice with the same seed, once with later rows added."""
    from forecast.pipeline import run

    base = tmp_path_factory.mktemp("runs")
    data = base / "data"
    shutil.copytree(default_data_dir(), data)
    with (data / "summits.csv").open("a", newline="") as fh:  # a summit after as_of 2025-05-12
        csv.writer(fh).writerow(
            [
                "s-later",
                "2025-05-20",
                "kim_jong_un",
                "putin",
                "Moscow",
                "russian_capital",
                "dprk",
                "false",
                "",
                "false",
                "test row",
                "https://example.org/later",
            ]
        )
    with (data / "exchanges.csv").open("a", newline="") as fh:
        csv.writer(fh).writerow(
            [
                "x-later",
                "2025-05-13",
                "2025-05-14",
                "day",
                "Someone",
                "Foreign Minister",
                "M1",
                "to_russia",
                "Moscow",
                "true",
                "putin",
                "",
                "false",
                "test row",
                "https://example.org/later",
            ]
        )
    kw = dict(draws=120, tune=120, chains=2, seed=7, report=False)
    return (
        run(june_path, base / "a", **kw),
        run(june_path, base / "b", **kw),
        run(june_path, base / "c", data_dir=data, **kw),
    )


@pytest.mark.slow
def test_same_seed_same_numbers(june_runs):
    a, b, _ = june_runs
    assert _numbers(a.document) == _numbers(b.document)
    np.testing.assert_array_equal(
        a.idata["posterior"]["beta"].values, b.idata["posterior"]["beta"].values
    )


@pytest.mark.slow
def test_no_look_ahead(june_runs):
    a, _, later = june_runs
    assert later.document.stamp.data_sha256 != a.document.stamp.data_sha256
    assert _numbers(later.document) == _numbers(a.document)


@pytest.mark.slow
def test_a_ceasefire_moves_the_venue_towards_moscow(tmp_path, scenarios_dir):
    """Seed 004: before a peace deal the Far East; after a ceasefire Kim might go to Moscow."""
    from forecast.pipeline import run

    kw = dict(draws=200, tune=200, chains=2, seed=5, report=False)
    docs = {
        name: run(scenarios_dir / f"{name}.yaml", tmp_path / name, **kw).document
        for name in ("before-ceasefire", "after-ceasefire")
    }
    share = {
        name: next(v.p for v in doc.venues if v.venue == "russian_capital")
        for name, doc in docs.items()
    }
    assert share["after-ceasefire"] > share["before-ceasefire"] + 0.05
    # and Putin's stated reluctance after a ceasefire lowers the chance of a summit at all
    p = {name: doc.headline.by_horizon_end.p for name, doc in docs.items()}
    assert p["after-ceasefire"] < p["before-ceasefire"]
