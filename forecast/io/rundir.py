"""A saved run directory (``forecast.json``, ``posterior.nc``, ``scenario.yaml``, and
``report.pdf`` when one was rendered) read back and verified.

``forecast run`` writes the files as one unit; the report, the notebook and anything else that
works from a finished run read them through :func:`load_run`, which checks that they belong
together and are what was written before anything is drawn from them: forecast.json against
its typed schema, scenario.yaml and posterior.nc against the content hashes forecast.json
records, the posterior's groups, dimensions and finiteness, the run identity recomputed from
the draws, and the stamp of every file. Every failure is one :class:`InputError` line. No PyMC
import, no sampling.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from forecast.config.scenario import Scenario, load_scenario
from forecast.domain.record import DEFAULT_DATASET, Dataset, load_dataset
from forecast.errors import InputError
from forecast.io.document import ForecastDocument, Stamp, read_document
from forecast.io.exports import TABLES
from forecast.io.safe_read import read_input, sha256_bytes

if TYPE_CHECKING:  # xarray comes with reading a run: validate stays without it
    import xarray as xr

FILES = ("forecast.json", "posterior.nc", "scenario.yaml")
#: Every file a run directory may hold: the three above, the CSV tables and the report.
RUN_FILES = (*FILES, *TABLES, "report.pdf")
#: posterior.nc's size limit (16 chains x 100 000 draws of the largest dyad fit well under it).
POSTERIOR_LIMIT = 2 << 30
_PARAMETERS = ("log_rate", "beta", "venue_asc", "venue_beta")
_RERUN = "re-run the scenario"


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
        """The run's stamp (version, content hashes, run identity), as forecast.json has it."""
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
    """Read a run directory written by ``forecast run`` and verify it.

    Raises
    ------
    InputError
        On one line: a file missing, unreadable, or not a regular file; forecast.json not a
        valid document; a run written before run identities; scenario.yaml or posterior.nc not
        matching the hash forecast.json records; posterior.nc not netCDF, missing a group or
        parameter, with other chains or draws than forecast.json says, or non-finite draws; a
        run identity or stamp that disagrees; a report.pdf from another run.
    """
    from forecast.io.outputs import load_posterior, run_identity

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
    where = path / "forecast.json"
    if stamp.run_id is None or document.posterior_sha256 is None:
        missing = "stamp -> run_id" if stamp.run_id is None else "posterior_sha256"
        raise InputError(
            where, missing, f"missing; the run was written by an older version: {_RERUN}"
        )
    scenario_bytes = read_input(path / "scenario.yaml")
    if sha256_bytes(scenario_bytes) != stamp.scenario_sha256:
        raise InputError(
            path / "scenario.yaml",
            None,
            "its content hash does not match forecast.json's stamp; the files come from "
            "different runs or were changed",
        )
    scenario = load_scenario(path / "scenario.yaml", scenario_bytes)
    nc_path = path / "posterior.nc"
    nc = read_input(nc_path, limit=POSTERIOR_LIMIT, what="posterior")
    if sha256_bytes(nc) != document.posterior_sha256:
        raise InputError(
            nc_path,
            None,
            "its content hash does not match the posterior_sha256 forecast.json records; the "
            f"files come from different runs or were changed: {_RERUN}",
        )
    try:
        idata = load_posterior(nc, expect=stamp.model_dump(exclude_none=True))
    except ValueError as exc:
        raise InputError(nc_path, "stamp", str(exc)) from None
    except Exception as exc:  # h5py/netCDF raise many types on a corrupt file
        raise InputError(nc_path, None, f"unreadable netCDF ({type(exc).__name__})") from None
    _check_posterior(idata, document, nc_path)
    found = run_identity(idata["posterior"].to_dataset(), document.sampler.model_dump())
    if found != stamp.run_id:
        raise InputError(
            nc_path,
            None,
            f"its draws and forecast.json's sampler settings give run identity {found[:12]}, "
            f"but the stamp says {stamp.run_id[:12]}; the files come from different runs",
        )
    report = path / "report.pdf"
    if report.exists() or report.is_symlink():
        check_report_file(report, stamp.run_id)
    return SavedRun(path=path, document=document, idata=idata, scenario=scenario)


def check_report_file(report: Path, run_id: str) -> None:
    """Refuse a report.pdf that is not a whole PDF (truncated) or does not carry ``run_id`` (it
    was rendered from another run).

    The report records the run identity in its PDF metadata (keywords) and in its footer.
    """
    data = read_input(report, limit=POSTERIOR_LIMIT, what="report")
    if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
        raise InputError(
            report,
            None,
            "not a complete PDF (truncated or damaged); re-render it with 'forecast report'",
        )
    if f"summit-forecast-run:{run_id}".encode() not in data:
        raise InputError(
            report,
            None,
            f"it does not carry this run's identity {run_id[:12]}; it was rendered from another "
            "run (re-render it with 'forecast report')",
        )


def _check_posterior(idata: xr.DataTree, document: ForecastDocument, path: Path) -> None:
    """The posterior group holds every parameter with the chains and draws forecast.json says,
    all finite."""
    if "posterior" not in idata.children:
        raise InputError(path, "posterior", f"missing group; {_RERUN}")
    post = idata["posterior"].to_dataset()
    chains, draws = document.sampler.chains, document.sampler.draws
    for name in _PARAMETERS:
        if name not in post:
            raise InputError(path, f"posterior -> {name}", f"missing variable; {_RERUN}")
        da = post[name]
        if da.dims[:2] != ("chain", "draw"):
            raise InputError(
                path,
                f"posterior -> {name}",
                f"expected dimensions (chain, draw, ...), got {da.dims}",
            )
        if (da.sizes["chain"], da.sizes["draw"]) != (chains, draws):
            raise InputError(
                path,
                f"posterior -> {name}",
                f"expected {chains} chains x {draws} draws (forecast.json's sampler), got "
                f"{da.sizes['chain']} x {da.sizes['draw']}",
            )
        if not np.issubdtype(da.dtype, np.floating) or not np.isfinite(da.values).all():
            raise InputError(path, f"posterior -> {name}", "expected finite numbers")
