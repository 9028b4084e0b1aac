"""report.comparison: the compare command's table and files, and the report's "Compared with"."""

from __future__ import annotations

import csv
import json
import shutil

import pytest

from forecast.analysis.compare import compare
from forecast.cli.main import main
from forecast.report import comparison
from forecast.report.render import render_run


def test_the_table_has_every_row_and_the_differences(two_runs):
    cmp = compare(two_runs)
    text = comparison.summary_text(cmp)
    assert "A  before-ceasefire" in text and "B  after-ceasefire" in text
    assert "B − A: shared posterior draws" in text
    doc = cmp.to_dict()
    head = doc["rows"][0]
    assert head["label"] == "summit by 28 Feb 2027"
    assert comparison.difference_text(head["differences"][1]) in text
    for row in doc["rows"]:
        assert row["label"] in text
    assert "median date of the next summit" in text


def test_the_three_files(unrelated_runs, tmp_path):
    cmp = compare(unrelated_runs)
    paths = comparison.write(cmp, tmp_path / "out", "2026-12-01 00:00 UTC")
    assert sorted(p.name for p in paths.values()) == sorted(comparison.FILES)
    data = json.loads((tmp_path / "out" / "comparison.json").read_text(encoding="utf-8"))
    assert data["schema"] == "summit-forecast/comparison.json/1"
    assert [i["name"] for i in data["items"]] == ["june-anniversary", "before-ceasefire"]
    rows = list(csv.DictReader((tmp_path / "out" / "comparison.csv").open(encoding="utf-8")))
    assert len(rows) == 2 * len(data["rows"])
    b_head = next(r for r in rows if r["item"] == "B" and r["kind"] == "headline")
    assert float(b_head["diff_p"]) == data["rows"][0]["differences"][1]["p"]
    assert b_head["diff_method"] == "independent draws"
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(tmp_path / "out" / "comparison.pdf").pages)
    assert "Scenarios compared" in text and "june-anniversary" in text
    assert "How the differences are computed" in text
    assert not [f for f in (tmp_path / "out").iterdir() if f.name.startswith(".")]


@pytest.mark.slow
def test_the_report_compared_with_section(fake_runs, tmp_path):
    run = tmp_path / "run"
    shutil.copytree(fake_runs["after-ceasefire"], run)
    from pypdf import PdfReader

    pdf = render_run(run, run / "compared.pdf", compare=fake_runs["before-ceasefire"])
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Compared with before-ceasefire" in text
    assert "compared run" in text and "this run" in text


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["compare", "june-anniversary"], "expected at least two scenarios or run directories"),
        (["compare", "june-anniversary", "no-such-scenario"], "no-such-scenario"),
    ],
)
def test_bad_compare_input_is_one_line_exit_2(argv, expected, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and "\n" not in err
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_compare_the_three_ceasefire_scenarios(tmp_path, forecast_process):
    """The issue's check: the table with differences and intervals, and the three files."""
    out = tmp_path / "cmp"
    proc = forecast_process(
        "compare",
        "before-ceasefire",
        "after-ceasefire",
        "uncertain-ceasefire",
        "--draws",
        "100",
        "--tune",
        "100",
        "--chains",
        "2",
        "--out",
        str(out),
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "same data, priors and settings, reusing the draws" in proc.stderr
    assert "C − A: shared posterior draws" in proc.stdout
    assert "summit by 28 Feb 2027" in proc.stdout and " pts (" in proc.stdout
    assert sorted(p.name for p in out.iterdir()) == sorted(comparison.FILES)


@pytest.mark.parametrize("command", ["compare", "update"])
def test_sampler_options_have_the_schema_bounds(command, capsys, tiny_run_dir):
    """compare and update bound --chains like run does: by the scenario schema's sampler."""
    first = (
        ["june-anniversary", "before-ceasefire"]
        if command == "compare"
        else [str(tiny_run_dir), "--as-of", "2025-06-01"]
    )
    assert main([command, *first, "--chains", "100"]) == 2
    err = capsys.readouterr().err.strip()
    assert "--chains" in err and "<= 16" in err and "\n" not in err
