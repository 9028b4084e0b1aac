"""forecast.workflow: the runs built on a forecast. Rolling a saved run forward (``update``)
here; ``compare``, ``sensitivity``, ``what_if`` and ``ensure_run`` are tested with the
analysis they drive (tests/analysis, tests/sensitivity)."""

import pytest

from forecast import workflow
from forecast.errors import InputError


def test_update_refuses_an_as_of_not_after_the_runs_before_anything_is_run(tiny_run_dir, tmp_path):
    from forecast.io.rundir import load_run

    as_of = load_run(tiny_run_dir).scenario.as_of
    out = tmp_path / "new"
    with pytest.raises(InputError, match="after the run's as_of"):
        workflow.update(tiny_run_dir, as_of, out_dir=out)
    assert not out.exists()


def test_update_refuses_bad_input_before_sampling(tiny_run_dir, tmp_path, capsys):
    from forecast.cli.main import main

    out = tmp_path / "new"
    for argv, expected in (
        (["--as-of", "2024-01-01"], "expected a date after the run's as_of"),
        (["--as-of", "June"], "expected a date as YYYY-MM-DD"),
        (["--as-of", "2025-06-01", "--event", str(tmp_path / "none.yaml")], "none.yaml"),
    ):
        assert main(["update", str(tiny_run_dir), *argv, "--out", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert expected in err and "\n" not in err
        assert not out.exists()


@pytest.mark.slow
def test_update_rolls_before_ceasefire_forward(fake_runs, tmp_path, forecast_process):
    """The issue's check: before-ceasefire rolled forward to 2026-06-01, and the change."""
    out = tmp_path / "rolled"
    proc = forecast_process(
        "update",
        str(fake_runs["before-ceasefire"]),
        "--as-of",
        "2026-06-01",
        "--out",
        str(out),
        "--draws",
        "100",
        "--tune",
        "100",
        "--chains",
        "2",
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    assert "window 'spring 2026 (Mar – May)' dropped (it ended 2026-05-31)" in proc.stdout
    assert "Change since the previous forecast" in proc.stdout
    assert "summit by 28 Feb 2027" in proc.stdout
    text = (out / "scenario.yaml").read_text(encoding="utf-8")
    assert "as_of: '2026-06-01'" in text or "as_of: 2026-06-01" in text
    from pypdf import PdfReader

    pdf = " ".join(p.extract_text() for p in PdfReader(out / "report.pdf").pages)
    assert "Compared with before-ceasefire" in pdf
