"""Fixtures of the report tests: a rendered june-anniversary report, saved runs to compare,
the PDF text extraction the report tests read a rendered PDF with, and a saved run's
inputs with a private user cache."""

from __future__ import annotations

import contextlib
import json
import re
import shutil
from pathlib import Path

import pytest


def _pdf_text(path: Path) -> str:
    """All text of the PDF with whitespace collapsed (table cells wrap onto several lines)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(scope="session")
def pdf_text():
    """``pdf_text(path)``: all text of the PDF at ``path`` with whitespace collapsed (table
    cells wrap onto several lines)."""
    return _pdf_text


@pytest.fixture(scope="module")
def june_report(tiny_run_dir, tmp_path_factory) -> tuple[Path, dict, str]:
    """A copy of the session's june-anniversary run with its report rendered afresh:
    ``(pdf path, forecast.json as data, the PDF's text)``. It is rendered from a directory of
    its own, so a backtest the user has run (``reports/backtest/`` under the checkout, where
    the report looks by default) does not reach it: the report has no track record."""
    from forecast.report.render import render_run

    root = tmp_path_factory.mktemp("report")
    run = root / "june-anniversary"
    shutil.copytree(tiny_run_dir, run)
    (run / "report.pdf").unlink()
    with contextlib.chdir(root):
        pdf = render_run(run)
    document = json.loads((run / "forecast.json").read_text(encoding="utf-8"))
    return pdf, document, _pdf_text(pdf)


@pytest.fixture(scope="module")
def two_runs(fake_runs):
    """Written from the same prior draws (same priors, same seed): they share their draws."""
    from forecast.analysis.compare import items_from_runs

    return items_from_runs([fake_runs["before-ceasefire"], fake_runs["after-ceasefire"]])


@pytest.fixture(scope="module")
def unrelated_runs(fake_runs):
    """Different priors, so independent draws."""
    from forecast.analysis.compare import items_from_runs

    return items_from_runs([fake_runs["june-anniversary"], fake_runs["before-ceasefire"]])


@pytest.fixture
def saved_tiny_run(tiny_run_dir, monkeypatch, tmp_path):
    """The tiny run's document, data and draws, with the user cache in ``tmp_path``."""
    from forecast.io.rundir import load_run
    from forecast.predict import Draws

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    run = load_run(tiny_run_dir)
    draws = Draws.from_dataset(run.idata["posterior"].to_dataset())
    return run.document, run.model_data(), draws
