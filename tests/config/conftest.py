"""Fixtures of the config tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def before(scenarios_dir) -> dict:
    """A fresh copy of before-ceasefire.yaml as plain data (dates stay text)."""
    from forecast.config.yaml_loader import load_yaml

    return load_yaml(scenarios_dir / "before-ceasefire.yaml")
