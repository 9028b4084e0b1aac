"""Fixtures of the command-line tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def previous(tiny_run_dir, tmp_path) -> Path:
    """A copy of the shared june-anniversary run: the previous run a new one must not harm."""
    out = tmp_path / "june-anniversary"
    shutil.copytree(tiny_run_dir, out)
    return out
