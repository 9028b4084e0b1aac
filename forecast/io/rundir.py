"""A saved run directory (``forecast.json``, ``posterior.nc``, ``scenario.yaml``) read back.

``forecast run`` writes the three files; the report, the notebook and anything else that works
from a finished run read them through :func:`load_run`, which checks that they belong together
(the same stamp) before anything is drawn from them. No PyMC import, no sampling.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import xarray as xr

from forecast.config.scenario import Scenario, load_scenario, scenario_sha256
from forecast.domain.record import DEFAULT_DATASET, Dataset, load_dataset
from forecast.errors import InputError
from forecast.io.document import ForecastDocument, Stamp, read_document

FILES = ("forecast.json", "posterior.nc", "scenario.yaml")


def backtest_dir_name(dataset: str) -> str:
    """The folder ``forecast backtest`` writes to under ``reports/`` for a dataset by default:
    ``backtest`` for the default dataset, ``backtest-<dataset>`` for the others (so one pair's
    track record never overwrites another's)."""
    return "backtest" if dataset == DEFAULT_DATASET else f"backtest-{dataset}"


@dataclass
class SavedRun:
    """The outputs of one ``forecast run``, checked to belong together."""

    path: Path
    document: ForecastDocument
    idata: xr.DataTree
    scenario: Scenario

    @property
    def stamp(self) -> Stamp:
        """The run's stamp (version and content hashes), as ``forecast.json`` records it."""
        return self.document.stamp

    @property
    def scenario_path(self) -> Path:
        return self.path / "scenario.yaml"

    def dataset(self, data_dir: str | Path | None = None) -> Dataset:
        """The dataset the run was fitted on; refuse one whose content has changed since."""
        dataset = load_dataset(data_dir if data_dir is not None else self.scenario.dataset)
        if dataset.sha256 != self.stamp.data_sha256:
            raise InputError(
                self.path / "forecast.json",
                "stamp -> data_sha256",
                f"the run used dataset {self.stamp.data_sha256[:12]}, but the dataset is now "
                f"{dataset.sha256[:12]}; re-run the scenario",
            )
        return dataset

    def model_data(self, data_dir: str | Path | None = None):
        """The run's :class:`~forecast.design.prepare.ModelData`, rebuilt from scenario and data."""
        from forecast.design.prepare import prepare

        return prepare(self.scenario, self.dataset(data_dir))


def load_run(run_dir: str | Path) -> SavedRun:
    """Read a run directory written by ``forecast run``.

    Raises
    ------
    InputError
        If a file is missing or unreadable, or the three files carry different stamps.
    """
    from forecast.io.outputs import load_posterior

    path = Path(run_dir)
    if not path.is_dir():
        raise InputError(path, None, "expected a run directory written by 'forecast run'")
    for name in FILES:
        if not (path / name).is_file():
            raise InputError(
                path / name, None, "missing; expected a run directory written by 'forecast run'"
            )
    # Validated against the typed document: a hand-edited, truncated or NaN-bearing
    # forecast.json is one line naming the field, never a traceback further on.
    document = read_document(path / "forecast.json")
    stamp = document.stamp
    found = scenario_sha256(path / "scenario.yaml")
    if found != stamp.scenario_sha256:
        raise InputError(
            path / "scenario.yaml",
            None,
            "its content hash does not match forecast.json's stamp; the files come from "
            "different runs",
        )
    scenario = load_scenario(path / "scenario.yaml")
    try:
        idata = load_posterior(path / "posterior.nc", expect=stamp.model_dump())
    except ValueError as exc:
        raise InputError(path / "posterior.nc", "stamp", str(exc).split(": ", 1)[-1]) from None
    except OSError as exc:
        raise InputError(path / "posterior.nc", None, f"unreadable netCDF ({exc})") from None
    return SavedRun(path=path, document=document, idata=idata, scenario=scenario)


def check_out_dir(out: Path) -> None:
    """Refuse an output location that cannot work, before any time is spent on sampling.

    Raises
    ------
    InputError
        If ``out`` is a file, or its nearest existing ancestor is not writable.
    """
    if out.exists() and not out.is_dir():
        raise InputError(out, "--out", "expected a directory, found a file")
    existing = next((p for p in (out, *out.parents) if p.exists()), Path("."))
    if not os.access(existing, os.W_OK):
        raise InputError(out, "--out", f"cannot write into {existing}")
