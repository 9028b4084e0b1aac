"""The library entry points behind the commands: validate a scenario, run a forecast."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from forecast import scenarios
from forecast.config.scenario import Scenario, load_scenario, scenario_sha256
from forecast.design.inputs import check_scenario
from forecast.domain.record import Dataset, dataset_dir, load_dataset
from forecast.errors import InputError


@dataclass
class Checked:
    scenario: Scenario
    dataset: Dataset
    warnings: list[str]
    scenario_sha256: str
    path: Path


def scenario_file(name: str | Path) -> Path:
    """The scenario file a command names: a path, or the name of a shipped scenario
    (``june-anniversary``, with or without ``.yaml``) when no such file exists, so an installed
    package runs its defaults from any directory."""
    path = Path(name)
    if path.exists() or path.parent != Path("."):
        return path
    shipped = scenarios.path(path.name if path.suffix == ".yaml" else f"{path.name}.yaml")
    return shipped if shipped.is_file() else path


def validate(path: str | Path, data_dir: str | Path | None = None) -> Checked:
    """Load and cross-check a scenario and the dataset without sampling (no PyMC import).

    ``path`` is a scenario file or a shipped scenario's name (:func:`scenario_file`).
    """
    path = scenario_file(path)
    scenario = load_scenario(path)
    if data_dir is None:
        data_dir = dataset_dir(scenario.dataset, source=path, field="dataset")
    dataset = load_dataset(data_dir)
    warnings = check_scenario(scenario, dataset, path)
    return Checked(scenario, dataset, warnings, scenario_sha256(path), path)


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


@dataclass
class RunResult:
    document: dict
    paths: dict
    idata: object


def run(
    path: str | Path,
    out_dir: str | Path | None = None,
    *,
    seed: int | None = None,
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    sampler: str | None = None,
    data_dir: str | Path | None = None,
    cores: int | None = None,
    report: bool = True,
    scale: str = "icd203",
    backtest: str | Path | None = None,
) -> RunResult:
    """Validate, fit, forecast and write the outputs of one scenario.

    With ``report`` (the default) the PDF report is written too, as ``report.pdf``; ``scale``
    and ``backtest`` are passed to :func:`forecast.report.render.render`. ``seed``, ``draws``,
    ``tune``, ``chains`` and ``sampler`` (the NUTS backend, ``pymc`` or ``nutpie``) override
    the scenario's ``sampler`` block; the settings used are recorded in forecast.json.
    """
    checked = validate(path, data_dir)  # before the heavy imports: bad input fails fast
    out = Path(out_dir) if out_dir else Path("reports") / checked.scenario.name
    check_out_dir(out)
    track = None
    if report:  # a bad scale or backtest file fails before sampling
        from forecast.report.render import check_report_options

        track = check_report_options(out, scale, backtest)

    from forecast.design.prepare import prepare
    from forecast.io.outputs import forecast_document, stamp, write_outputs
    from forecast.model.sample import sample
    from forecast.predict import Draws, forecast

    sc = checked.scenario
    settings = sc.sampler.model_copy(
        update={
            k: v
            for k, v in dict(
                seed=seed, draws=draws, tune=tune, chains=chains, backend=sampler
            ).items()
            if v is not None
        }
    )
    data = prepare(sc, checked.dataset)
    fit = sample(
        data,
        draws=settings.draws,
        tune=settings.tune,
        chains=settings.chains,
        seed=settings.seed,
        target_accept=settings.target_accept,
        cores=cores,
        backend=settings.backend,
    )
    draws = Draws.from_dataset(fit.idata["posterior"].to_dataset())
    body = forecast(data, draws)
    the_stamp = stamp(checked.scenario_sha256, checked.dataset.sha256)
    document = forecast_document(
        data, body, fit.idata, fit.diagnostics, settings.model_dump(), checked.warnings, the_stamp
    )
    paths = write_outputs(out, document, fit.idata, checked.path.read_text(encoding="utf-8"))
    if report:
        from forecast.report.render import render

        paths["report"] = render(
            document, data, draws, out / "report.pdf", scale=scale, backtest=track
        )
    return RunResult(document=document, paths=paths, idata=fit.idata)
