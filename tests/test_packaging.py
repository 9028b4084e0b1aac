"""The package as a user installs it: every subpackage listed, defaults shipped as data, a
wheel that runs its default scenario from a directory outside the repository."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_subpackage_is_listed_in_pyproject():
    listed = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    )
    found = {
        ".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "forecast").rglob("__init__.py")
    }
    assert found | {"forecast.scenarios"} == listed


def test_defaults_are_found_through_the_package():
    from forecast import scenarios
    from forecast.backtest.origins import DEFAULT_CASES, DEFAULT_TEMPLATE

    assert scenarios.path("backtest/indicators.yaml") == DEFAULT_TEMPLATE
    assert DEFAULT_TEMPLATE.is_file() and DEFAULT_CASES.is_file()
    for name in ("june-anniversary", "before-ceasefire", "kim-trump-2026", "kim-xi-2026"):
        assert scenarios.path(f"{name}.yaml").is_file()


def test_curated_api_names_resolve():
    import forecast

    for name in forecast.__all__:
        assert callable(getattr(forecast, name)) or name == "__version__", name
    with pytest.raises(AttributeError):
        forecast.no_such_thing  # noqa: B018


@pytest.mark.slow
def test_wheel_runs_the_default_scenario_outside_the_repository(tmp_path):
    dist, target, work = tmp_path / "dist", tmp_path / "site", tmp_path / "work"
    work.mkdir()
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(dist), str(ROOT)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    (wheel,) = dist.glob("summit_forecast-*.whl")
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target),
         str(wheel)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def forecast(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "forecast", *args],
            cwd=work, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip

    where = forecast("--version")
    assert where.returncode == 0, where.stderr
    proc = subprocess.run(
        [sys.executable, "-c", "import forecast; print(forecast.__file__)"],
        cwd=work, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert proc.stdout.startswith(str(target)), proc.stdout  # the wheel, not the checkout
    proc = forecast("run", "june-anniversary", "--draws", "100", "--tune", "100",
                    "--chains", "2", "--out", "run")  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "P(next Kim–Putin summit by 2025-12-31)" in proc.stdout
    assert (work / "run" / "forecast.json").is_file() and (work / "run" / "report.pdf").is_file()
    proc = forecast("schema", "scenario")
    assert proc.returncode == 0 and '"title"' in proc.stdout
