import shutil

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
