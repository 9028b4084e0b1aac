"""The shipped scenario files, installed with the package as ``forecast.scenarios``.

In a checkout they are the files in ``scenarios/``; in an installed package they are package
data, so the defaults (the backtest template, its seed cases, the simulation checks' and the
notebook's scenarios) are found either way through :func:`path`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def path(name: str) -> Path:
    """The path of a shipped scenario file, e.g. ``path("backtest/indicators.yaml")``."""
    return Path(str(resources.files(__name__).joinpath(*name.split("/"))))
