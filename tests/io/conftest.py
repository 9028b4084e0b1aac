"""Fixtures of the io tests: the scenario JSON Schema's validator, a saved run to replace and
an empty stop record."""

from __future__ import annotations

from pathlib import Path

import pytest


def _validator(schema: dict):
    from jsonschema import Draft202012Validator

    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@pytest.fixture(scope="session")
def schema_validator():
    """``schema_validator(schema)``: a Draft 2020-12 validator of ``schema`` (checked first)
    that asserts formats such as ``date``."""
    return _validator


@pytest.fixture(scope="module")
def scenario_validator():
    """The validator of the scenario JSON Schema (see ``schema_validator``)."""
    from forecast.io.schemas import scenario_schema

    return _validator(scenario_schema())


@pytest.fixture
def old_run(tmp_path: Path) -> Path:
    """A previous run directory, ``runs/june``, with an old forecast.json and scenario.yaml."""
    out = tmp_path / "runs" / "june"
    out.mkdir(parents=True)
    (out / "forecast.json").write_bytes(b'{"old": true}\n')
    (out / "scenario.yaml").write_bytes(b"name: old\r\n")
    return out


@pytest.fixture
def announced(dataset, june_raw):
    """ModelData as of 2024-06-17 (the Kremlin announced the June 18-19 visit), to June 30."""
    from forecast.config.scenario import parse_scenario
    from forecast.design.prepare import prepare

    raw = june_raw
    raw.update(
        as_of="2024-06-17",
        horizon_end="2024-06-30",
        indicators=[],
        venues={"judgments": []},
        windows=[{"name": "by June 20", "start": "2024-06-18", "end": "2024-06-20"}],
    )
    raw.pop("ceasefire", None)
    raw["model"] = {"signals": True}  # the signal terms are opt-in
    return prepare(parse_scenario(raw), dataset)


@pytest.fixture
def fresh_stop():
    """The process's stop record, empty before and after the test."""
    from forecast.io import stop

    stop.clear()
    yield stop
    stop.clear()
