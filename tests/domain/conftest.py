"""Fixtures of the domain tests: an editable copy of the packaged dataset's files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A copy of the default dataset's directory, ``tmp_path / "data"``, free to corrupt."""
    from forecast.domain.record import default_data_dir

    return Path(shutil.copytree(default_data_dir(), tmp_path / "data"))
