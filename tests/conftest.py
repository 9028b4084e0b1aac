from __future__ import annotations

import copy
import os
from functools import cache
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml"))
JUNE = SCENARIOS / "june-anniversary.yaml"


@cache
def _june_raw() -> dict:
    from forecast.config.yaml_loader import load_yaml

    return load_yaml(JUNE)


def june_dict() -> dict:
    """A fresh, editable copy of june-anniversary.yaml as plain data."""
    return copy.deepcopy(_june_raw())


@pytest.fixture(scope="session")
def dataset():
    from forecast.domain.record import load_dataset

    return load_dataset()


@pytest.fixture(scope="session")
def june(dataset):
    from forecast.config.scenario import load_scenario

    return load_scenario(SCENARIOS / "june-anniversary.yaml")


@pytest.fixture(scope="session")
def june_data(june, dataset):
    from forecast.design.prepare import prepare

    return prepare(june, dataset)


@pytest.fixture(scope="session")
def tiny_run_dir(tmp_path_factory) -> Path:
    """A real but tiny june-anniversary run (2 chains x 100 draws), shared by the session.

    Treat it as read-only; copy it (``shutil.copytree``) before changing anything in it.
    """
    from forecast.pipeline import run

    out = tmp_path_factory.mktemp("runs") / "june-anniversary"
    run(JUNE, out, draws=100, tune=100, chains=2, seed=7)
    return out


@pytest.fixture(scope="session")
def before_data(dataset):
    """ModelData of before-ceasefire: the whole record, 2012-01-01 to 2026-02-26."""
    from forecast.config.scenario import load_scenario
    from forecast.design.prepare import prepare

    return prepare(load_scenario(SCENARIOS / "before-ceasefire.yaml"), dataset)


@pytest.fixture(scope="session")
def compiled_fit(before_data):
    """before-ceasefire's model compiled once with nutpie, shared by the simulation checks."""
    from forecast.model.build import build_model
    from forecast.model.fastfit import FastFit

    return FastFit(build_model(before_data))
