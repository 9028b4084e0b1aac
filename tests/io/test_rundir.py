import shutil

import numpy as np
import pytest

from forecast.errors import InputError
from forecast.io.rundir import load_run


def test_load_run_reads_a_run_back(tiny_run_dir):
    saved = load_run(tiny_run_dir)
    assert saved.scenario.name == "june-anniversary"
    assert saved.document.stamp.scenario_sha256 == saved.stamp.scenario_sha256
    assert saved.idata["posterior"]["beta"].sizes["draw"] == 100
    data = saved.model_data()
    assert len(data.horizon_dates) == (saved.scenario.horizon_end - saved.scenario.as_of).days


@pytest.mark.parametrize("missing", ["forecast.json", "posterior.nc", "scenario.yaml"])
def test_missing_file_is_named(tiny_run_dir, tmp_path, missing):
    run = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run)
    (run / missing).unlink()
    with pytest.raises(InputError, match=missing.replace(".", r"\.") + ": missing"):
        load_run(run)


def test_files_from_different_runs_are_refused(tiny_run_dir, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run)
    with open(run / "scenario.yaml", "a", encoding="utf-8") as f:
        f.write("# edited\n")
    with pytest.raises(InputError, match="scenario.yaml: its content hash does not match"):
        load_run(run)


def test_not_a_directory(tmp_path):
    with pytest.raises(InputError, match="expected a run directory"):
        load_run(tmp_path / "nope")


def test_changed_dataset_is_refused(tiny_run_dir, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run)
    saved = load_run(run)
    saved.document = saved.document.model_copy(
        update={"stamp": saved.stamp.model_copy(update={"data_sha256": "0" * 64})}
    )
    with pytest.raises(InputError, match="data_sha256"):
        saved.dataset()


@pytest.mark.parametrize(
    ("edit", "field", "expected"),
    [
        (lambda d: d["headline"]["by_horizon_end"].update(p=0.93),
         "headline -> by_horizon_end -> p", "expected the last by_date p"),
        (lambda d: d["windows"][0].update(p=float("nan")),
         "windows -> treaty anniversary", "finite"),
        (lambda d: d.pop("venues"), "venues", "missing required field"),
        (lambda d: d.update(by_date=[]), "by_date", "expected"),
    ],
    ids=["changed-headline", "nan-window", "removed-key", "empty-by-date"],
)  # fmt: skip
def test_a_tampered_forecast_json_is_refused_in_one_line(tiny_run_dir, tmp_path, edit, field,
                                                         expected):  # fmt: skip
    import json

    run = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run)
    doc = json.loads((run / "forecast.json").read_text(encoding="utf-8"))
    edit(doc)
    (run / "forecast.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_run(run)
    line = str(info.value)
    assert "\n" not in line
    assert line.startswith(f"{run / 'forecast.json'}: {field}")
    assert expected in line


# --------------------------------------------------------------------------- verified reading


def _copy(tiny_run_dir, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(tiny_run_dir, run)
    return run


def _rewrite_posterior(run, change):
    """Rewrite posterior.nc with ``change`` applied to its tree, and record the new file's hash
    in forecast.json (what a careful tamperer would do)."""
    import json

    import xarray as xr

    from forecast.io.safe_read import sha256_bytes

    tree = xr.open_datatree(run / "posterior.nc", engine="h5netcdf").load()
    tree = change(tree)
    data = bytes(tree.to_netcdf(engine="h5netcdf"))
    (run / "posterior.nc").write_bytes(data)
    doc = json.loads((run / "forecast.json").read_text(encoding="utf-8"))
    doc["posterior_sha256"] = sha256_bytes(data)
    (run / "forecast.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")


def _posterior(fn):
    """A change of the posterior group's dataset, other groups and attributes kept."""
    import xarray as xr

    def change(tree):
        groups = {f"/{k}": tree[k].to_dataset() for k in tree.children}
        groups["/posterior"] = fn(groups["/posterior"])
        new = xr.DataTree.from_dict(groups)
        new.attrs.update(tree.attrs)
        return new

    return change


def test_every_file_carries_the_run_identity(tiny_run_dir):
    from forecast.io.outputs import run_identity
    from forecast.io.safe_read import sha256_bytes

    saved = load_run(tiny_run_dir)
    run_id = saved.stamp.run_id
    sampler = saved.document.sampler.model_dump()
    assert run_id == run_identity(saved.idata["posterior"].to_dataset(), sampler)
    assert saved.idata.attrs["summit_forecast_run_id"] == run_id
    assert saved.idata["posterior"].attrs["summit_forecast_run_id"] == run_id
    nc = (tiny_run_dir / "posterior.nc").read_bytes()
    assert saved.document.posterior_sha256 == sha256_bytes(nc)
    assert f"summit-forecast-run:{run_id}".encode() in (tiny_run_dir / "report.pdf").read_bytes()


def test_the_run_identity_tells_seeds_and_draw_counts_apart(tiny_run_dir):
    from forecast.io.outputs import run_identity

    saved = load_run(tiny_run_dir)
    post, sampler = saved.idata["posterior"].to_dataset(), saved.document.sampler.model_dump()
    base = run_identity(post, sampler)
    assert run_identity(post, {**sampler, "seed": sampler["seed"] + 1}) != base
    assert run_identity(post, {**sampler, "tune": sampler["tune"] + 1}) != base
    assert run_identity(post.isel(draw=slice(0, 50)), sampler) != base
    nudged = post.copy(deep=True)
    nudged["log_rate"][0, 0] += 1e-12
    assert run_identity(nudged, sampler) != base


@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (lambda b: b[: len(b) // 2], "posterior_sha256 forecast.json records"),
        (lambda b: b[:5000] + bytes([b[5000] ^ 0x01]) + b[5001:], "content hash does not match"),
        (lambda b: b"", "content hash does not match"),
    ],
    ids=["truncated", "bit-flip", "emptied"],
)
def test_a_damaged_posterior_is_refused_in_one_line(tiny_run_dir, tmp_path, damage, expected):
    run = _copy(tiny_run_dir, tmp_path)
    path = run / "posterior.nc"
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(InputError, match=expected) as info:
        load_run(run)
    assert "\n" not in str(info.value) and info.value.file.endswith("posterior.nc")


def test_changed_draws_with_a_matching_file_hash_break_the_run_identity(tiny_run_dir, tmp_path):
    run = _copy(tiny_run_dir, tmp_path)

    def change(tree):
        tree["posterior"]["beta"] = tree["posterior"]["beta"] * 1.5
        return tree

    _rewrite_posterior(run, change)
    with pytest.raises(InputError, match="give run identity .* but the stamp says"):
        load_run(run)


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (lambda t: t.drop_nodes("posterior"), "posterior", "missing group"),
        (
            _posterior(lambda p: p.drop_vars("venue_asc")),
            "posterior -> venue_asc",
            "missing variable",
        ),
        (
            _posterior(lambda p: p.isel(draw=slice(0, 60))),
            "posterior -> log_rate",
            "expected 2 chains x 100 draws",
        ),
        (
            _posterior(lambda p: p.assign(log_rate=p.log_rate * np.nan)),
            "posterior -> log_rate",
            "expected finite numbers",
        ),
    ],
    ids=["no-posterior-group", "missing-parameter", "fewer-draws", "nan-draws"],
)
def test_a_posterior_of_the_wrong_shape_is_refused(tiny_run_dir, tmp_path, change, field, expected):
    run = _copy(tiny_run_dir, tmp_path)
    _rewrite_posterior(run, change)
    with pytest.raises(InputError) as info:
        load_run(run)
    assert info.value.field == field
    assert expected in info.value.message


def test_files_of_two_runs_mixed_are_refused(tiny_run_dir, fake_run, june_path, tmp_path):
    other = fake_run(june_path, tmp_path / "other", draws=100, seed=5)
    run = _copy(tiny_run_dir, tmp_path)
    shutil.copy(other / "posterior.nc", run / "posterior.nc")
    with pytest.raises(InputError, match="posterior.nc: its content hash does not match"):
        load_run(run)
    run = _copy(tiny_run_dir, tmp_path / "b")
    shutil.copy(other / "forecast.json", run / "forecast.json")  # headline of the other run
    with pytest.raises(InputError, match="posterior.nc: its content hash does not match"):
        load_run(run)


def test_a_report_of_another_run_is_refused(tiny_run_dir, fake_run, june_path, tmp_path):
    other = fake_run(june_path, tmp_path / "other", draws=100, seed=5)
    shutil.copy(tiny_run_dir / "report.pdf", other / "report.pdf")
    with pytest.raises(InputError, match="report.pdf: it does not carry this run's identity"):
        load_run(other)


@pytest.mark.parametrize("keep", [0.97, 0.5], ids=["tail-cut", "half"])
def test_a_truncated_report_is_refused(tiny_run_dir, tmp_path, keep):
    run = _copy(tiny_run_dir, tmp_path)
    data = (run / "report.pdf").read_bytes()
    (run / "report.pdf").write_bytes(data[: int(len(data) * keep)])
    with pytest.raises(InputError, match=r"report\.pdf: (not a complete PDF|it does not carry)"):
        load_run(run)


def test_a_run_without_run_identity_is_refused_as_older(tiny_run_dir, tmp_path):
    import json

    run = _copy(tiny_run_dir, tmp_path)
    doc = json.loads((run / "forecast.json").read_text(encoding="utf-8"))
    del doc["stamp"]["run_id"]
    (run / "forecast.json").write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(
        InputError, match="stamp -> run_id: missing; the run was written by an older"
    ):
        load_run(run)


def test_the_report_command_refuses_a_damaged_run_in_one_line(tiny_run_dir, tmp_path, capsys):
    from forecast.cli.main import main

    run = _copy(tiny_run_dir, tmp_path)
    data = bytearray((run / "posterior.nc").read_bytes())
    data[-100] ^= 0xFF
    (run / "posterior.nc").write_bytes(bytes(data))
    before = (run / "report.pdf").read_bytes()
    assert main(["report", str(run)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "posterior.nc" in err and "Traceback" not in err
    assert (run / "report.pdf").read_bytes() == before
