"""notebooks/explore_posteriors.ipynb: stored clean, and runs end to end with tiny settings."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore_posteriors.ipynb"
PLOT_CALL = re.compile(r"\bplot_\w+\(")


def _plot_cells(nb) -> list:
    return [c for c in nb.cells if c.cell_type == "code" and PLOT_CALL.search(c.source)]


def _signal_cells(nb) -> list:
    return [c for c in _plot_cells(nb) if "has_signals" in c.source]


def _tree(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")} if path.exists() else set()


def _execute(cwd: Path, run_dir: Path, scenario: str, out: Path) -> subprocess.CompletedProcess:
    """The headless command (``make notebook-run``) on ``run_dir``, created from ``scenario``
    if missing, with tiny sampler settings, run from ``cwd``."""
    env = {
        **os.environ,
        "SUMMIT_RUN_DIR": str(run_dir),
        "SUMMIT_SCENARIO": scenario,
        "SUMMIT_DRAWS": "100",
        "SUMMIT_TUNE": "100",
        "SUMMIT_CHAINS": "2",
        "SUMMIT_SEED": "7",
        "MPLBACKEND": "Agg",
    }
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "run_notebook.py"), "--out", str(out)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_notebook_is_stored_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code
    assert all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_every_plot_cell_is_explained():
    """Each figure-producing cell follows a markdown cell saying what to look for."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    plots = _plot_cells(nb)
    assert len(plots) >= 10
    for cell in plots:
        i = nb.cells.index(cell)
        before = next(c for c in reversed(nb.cells[:i]) if c.cell_type == "markdown")
        assert "what to look for" in before.source.lower(), cell.source


@pytest.mark.slow
def test_notebook_executes_end_to_end(tmp_path):
    """The documented headless command (make notebook-run = scripts/run_notebook.py) runs the
    notebook from the repository root; the chosen, missing run is created from the chosen
    scenario, and nothing is written into the repository."""
    run_dir = tmp_path / "runs" / "june-anniversary"
    out = tmp_path / "executed.ipynb"
    reports = _tree(ROOT / "reports")
    # relative: to the repo root
    done = _execute(tmp_path, run_dir, "scenarios/june-anniversary.yaml", out)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip().endswith(str(out))

    assert (run_dir / "forecast.json").is_file()  # created first, since it was missing
    assert (tmp_path / "runs" / "june-anniversary-what-if" / "doubt" / "what-if").is_dir()
    assert _tree(ROOT / "reports") == reports  # nothing written into the repository
    nb = nbformat.read(out, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    printed = "".join(o.get("text", "") for o in nb.cells[1].outputs)
    assert f"showing the run in {run_dir}" in printed and "scenario 'june-anniversary'" in printed
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    # every figure but the news-and-signals ones: this run has the signal terms off, and says so
    assert len(images) == len(_plot_cells(nb)) - len(_signal_cells(nb))
    printed_all = "".join(o.get("text", "") for o in outputs)
    assert "june-anniversary runs without the signal terms" in printed_all
    text = "\n".join(o.get("data", {}).get("text/markdown", "") for o in outputs)
    assert "Posterior predictive check over 2012-01-01 to 2025-05-12" in text


@pytest.mark.slow
def test_notebook_runs_for_a_scenario_without_statements_or_ceasefire(tmp_path):
    """kim-xi-2026 states no indicators and its dataset has no ceasefire term: the what-if
    cells say so instead of failing, and draw nothing."""
    run_dir = tmp_path / "kim-xi"
    out = tmp_path / "executed.ipynb"
    done = _execute(tmp_path, run_dir, "scenarios/kim-xi-2026.yaml", out)
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    printed = "".join(
        o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
    )
    assert (
        "kim-xi-2026 states no indicators or venue judgments: there is nothing to doubt" in printed
    )
    assert "no ceasefire term: there is nothing to flip" in printed
    assert not (tmp_path / "kim-xi-what-if").exists()


@pytest.mark.slow
def test_notebook_explores_the_signals_of_a_run_with_the_signal_terms(tmp_path):
    """pyongyang-2024-06-17 (signal terms on, as of the Kremlin's announcement): the news and
    signals section draws q and q_f and the record's episodes and lists the live signals, the
    announcement among them; the 2024 episode is still open on that day."""
    run_dir = tmp_path / "pyongyang"
    out = tmp_path / "executed.ipynb"
    done = _execute(tmp_path, run_dir, "scenarios/pyongyang-2024-06-17.yaml", out)
    assert done.returncode == 0, done.stderr[-3000:]
    nb = nbformat.read(out, as_version=4)
    outputs = {id(c): c.outputs for c in nb.cells if c.cell_type == "code"}
    for cell in _signal_cells(nb):
        assert any("image/png" in o.get("data", {}) for o in outputs[id(cell)]), cell.source
    table = next(c for c in nb.cells if "signals_table(doc)" in c.source)
    shown = "".join(o.get("data", {}).get("text/plain", "") for o in table.outputs)
    assert "official announcement with dates" in shown and "announced meeting" in shown
    assert "2024-06-11 to 2024-07-08" in shown  # Vedomosti's "coming weeks"
