"""Fixtures of the model tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def model(june_data):
    """june-anniversary's PyMC model, built once per test module."""
    from forecast.model.build import build_model

    return build_model(june_data)
