"""The run pipeline: real (short) MCMC runs through the command line and the library: outputs,
stamps, reproducibility and no look-ahead."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from forecast.config.scenario import scenario_sha256
from forecast.config.yaml_loader import load_yaml
from forecast.domain.record import data_sha256
from forecast.io.exports import TABLES
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
    """Seed 004: before a peace deal the Far East; after a ceasefire Kim might go to Moscow.
    Not knowing (uncertain-ceasefire) lies strictly between the two pure cases, with intervals
    from the same draws (the three scenarios share data, priors and seed)."""
    from forecast.pipeline import run

    kw = dict(draws=200, tune=200, chains=2, seed=5, report=False)
    docs = {
        name: run(scenarios_dir / f"{name}.yaml", tmp_path / name, **kw).document
        for name in ("before-ceasefire", "after-ceasefire", "uncertain-ceasefire")
    }
    share = {
        name: next(v.p for v in doc.venues if v.venue == "russian_capital")
        for name, doc in docs.items()
    }
    assert share["after-ceasefire"] > share["before-ceasefire"] + 0.05
    # and Putin's stated reluctance after a ceasefire lowers the chance of a summit at all
    p = {name: doc.headline.by_horizon_end.p for name, doc in docs.items()}
    assert p["after-ceasefire"] < p["uncertain-ceasefire"] < p["before-ceasefire"]
    unc = docs["uncertain-ceasefire"]
    assert unc.ceasefire.assumption == "uncertain"
    assert sum(path.weight for path in unc.ceasefire.paths) == pytest.approx(1.0)
    assert unc.ceasefire.paths[-1].ceasefire_start is None  # "war continues throughout"
    assert unc.ceasefire.paths[-1].weight == pytest.approx(0.7)
    end = unc.headline.by_horizon_end
    assert end.lo < end.p < end.hi  # an interval over draws, not a mix of other files


# --------------------------------------------------------------------------- the run directory
# Written by the production code from prior draws (no MCMC): finish_run is the writing half of
# run.


def test_a_crlf_scenario_is_copied_byte_for_byte_and_its_run_loads(fake_run, june_path, tmp_path):
    from forecast.io.rundir import load_run

    crlf = tmp_path / "june-crlf.yaml"
    crlf.write_bytes(june_path.read_bytes().replace(b"\n", b"\r\n"))
    out = fake_run(crlf, tmp_path / "run", draws=50)
    assert (out / "scenario.yaml").read_bytes() == crlf.read_bytes()
    assert load_run(out).stamp.scenario_sha256 == scenario_sha256(crlf)


def test_a_failed_write_keeps_the_previous_run_and_leaves_nothing(
    fake_run, june_path, tmp_path, monkeypatch
):
    import errno
    import os

    from forecast.io import safe_write
    from forecast.io.safe_write import WriteFailed

    out = fake_run(june_path, tmp_path / "run", draws=50, seed=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_write = os.write

    class FullDiskOnNetcdf:
        """os, except that the disk fills up while posterior.nc is written."""

        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def write(fd, data):
            if os.readlink(f"/proc/self/fd/{fd}").endswith("posterior.nc"):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real_write(fd, data)

    monkeypatch.setattr(safe_write, "os", FullDiskOnNetcdf())
    with pytest.raises(WriteFailed) as info:
        fake_run(june_path, out, draws=60, seed=2)
    assert str(info.value) == f"cannot write {out / 'posterior.nc'}: No space left on device"
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_an_exception_mid_write_keeps_the_previous_run(fake_run, june_path, tmp_path, monkeypatch):
    from forecast.io import outputs

    out = fake_run(june_path, tmp_path / "run", draws=50, seed=1)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real = outputs.StagedDir.write_bytes

    def interrupted(self, name, data):
        if name == "scenario.yaml":  # after forecast.json and posterior.nc
            raise KeyboardInterrupt
        return real(self, name, data)

    monkeypatch.setattr(outputs.StagedDir, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fake_run(june_path, out, draws=60, seed=2)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_a_new_run_replaces_every_file_of_the_old(fake_run, june_path, tmp_path):
    import json

    out = fake_run(june_path, tmp_path / "run", draws=50, seed=1)
    old = json.loads((out / "forecast.json").read_text(encoding="utf-8"))
    (out / "report.pdf").write_bytes(b"%PDF- an old report")
    fake_run(june_path, out, draws=60, seed=2)
    new = json.loads((out / "forecast.json").read_text(encoding="utf-8"))
    assert new["stamp"]["run_id"] != old["stamp"]["run_id"]
    assert sorted(p.name for p in out.iterdir()) == sorted(
        ["forecast.json", "posterior.nc", "scenario.yaml", *TABLES]
    )


def test_too_few_draws_for_the_report_are_refused_naming_where_they_come_from(june, tmp_path):
    from forecast.errors import InputError
    from forecast.pipeline import sampler_settings

    small = june.model_copy(
        update={"sampler": june.sampler.model_copy(update={"draws": 10, "chains": 2})}
    )
    with pytest.raises(InputError) as info:
        sampler_settings(small, source="s.yaml")
    assert (info.value.file, info.value.field) == ("s.yaml", "sampler -> draws")
    assert "20 posterior draws, too few for the report's influence estimates" in str(info.value)
    assert sampler_settings(small, report=False).draws == 10  # without a report they are enough
    with pytest.raises(InputError) as info:
        sampler_settings(june, draws=12, chains=1)
    assert (info.value.file, info.value.field) == ("command line", "--draws")


#: What a cached re-run, its report and ``validate`` never import: the samplers and their
#: compilers, SciPy and the ArviZ packages (a sampled run imports the sampler it uses, and
#: SciPy's special functions with it, only when it samples).
NOT_WITHOUT_SAMPLING = {
    "pymc",
    "pytensor",
    "nutpie",
    "numba",
    "jax",
    "jaxlib",
    "numpyro",
    "scipy",
    "arviz",
    "arviz_base",
    "arviz_stats",
    "arviz_plots",
}

_IMPORTS = """
import json, sys
from forecast.cli.main import main

def top():
    return sorted({name.split(".")[0] for name in sys.modules})

found = {}
assert main(["validate", sys.argv[1]]) == 0
found["validate"] = top()
assert main(["run", sys.argv[1], "--out", sys.argv[2]]) == 0
found["cached run"] = top()
import forecast.model.jaxnuts, forecast.model.sample  # the sampling path, before it samples
found["sampling modules"] = top()
print(json.dumps(found), flush=True)
import os
os._exit(0)  # without the interpreter's teardown, as python -m forecast leaves
"""


@pytest.mark.slow  # fresh processes, 2-3 s: in CI with the slow tier
def test_what_each_path_imports(june_path, tmp_path, root):
    """In a fresh process, ``validate`` imports no sampler, SciPy, ArviZ, Matplotlib, xarray
    nor pandas; a re-run whose posterior is cached writes every file, report included, without
    a sampler, SciPy or ArviZ, and once its figures are cached too, without Matplotlib; the
    sampling modules import their sampler only when they sample. Fails when any of these is
    imported eagerly again."""
    import os

    import xarray as xr

    from forecast.design.prepare import prepare
    from forecast.model.cache import PosteriorCache, posterior_key
    from forecast.model.sample import diagnose, prior_draws
    from forecast.pipeline import sampler_settings, validate

    checked = validate(june_path)
    settings = sampler_settings(checked.scenario, source=checked.path)
    data = prepare(checked.scenario, checked.dataset)
    post = xr.concat([prior_draws(data, 100, seed) for seed in (0, 1)], dim="chain")
    stats = xr.Dataset({"diverging": (("chain", "draw"), np.zeros((2, 100), dtype=bool))})
    idata = xr.DataTree.from_dict(
        {"posterior": post.assign_coords(chain=[0, 1]), "sample_stats": stats}
    )
    diagnostics = diagnose(idata, seconds=0.125)
    xdg = tmp_path / "xdg"
    key = posterior_key(checked.scenario_sha256, checked.dataset.sha256, settings.model_dump())
    PosteriorCache(xdg / "summit-forecast" / "posteriors").save(key, idata, diagnostics)

    def fresh(out):
        proc = subprocess.run(
            [sys.executable, "-c", _IMPORTS, str(june_path), str(out)],
            cwd=root,
            env={**os.environ, "XDG_CACHE_HOME": str(xdg), "MPLBACKEND": "Agg"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert proc.returncode == 0, proc.stderr
        return {k: set(v) for k, v in json.loads(proc.stdout.strip().splitlines()[-1]).items()}

    out = tmp_path / "run"
    found = fresh(out)
    doc = json.loads((out / "forecast.json").read_text(encoding="utf-8"))
    assert doc["diagnostics"]["sampling_seconds"] == 0.125  # the cached posterior was used
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert not found["validate"] & (NOT_WITHOUT_SAMPLING | {"matplotlib", "xarray", "pandas"})
    assert "matplotlib" in found["cached run"] and "typst" in found["cached run"]
    assert not found["cached run"] & NOT_WITHOUT_SAMPLING
    assert not found["sampling modules"] & NOT_WITHOUT_SAMPLING
    # the figures were stored: the same re-run again draws nothing
    again = fresh(tmp_path / "again")
    assert "typst" in again["cached run"] and "matplotlib" not in again["cached run"]
    assert (tmp_path / "again" / "report.pdf").read_bytes().startswith(b"%PDF-")
