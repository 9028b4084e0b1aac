"""The library entry points behind the commands: validate a scenario and run a forecast (the
runs built on one, from the notebook's re-forecasts to ``update``, are in
:mod:`forecast.workflow`).

This is the top of the library: only the command line imports it. ``validate`` lives with
the cross-checks (:mod:`forecast.design.inputs`) and ``check_out_path`` with the output-path
checks (:mod:`forecast.io.out_path`); both are re-exported here.

A run is all or nothing: the scenario is read once (its bytes are hashed, parsed and copied),
the whole output path is checked before PyMC is imported, a lock on ``--out`` is held from
before sampling to the end, and every file is written into a staging directory beside
``--out`` that replaces it only when all of them are complete
(:class:`~forecast.io.staging.StagedDir`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import ValidationError

from forecast.config.scenario import Sampler, Scenario
from forecast.design.inputs import Checked, scenario_file, validate
from forecast.errors import InputError
from forecast.io.out_path import check_out_path
from forecast.io.rundir import RUN_FILES, load_run

if TYPE_CHECKING:  # the notebook's helpers are imported when used: validate stays light
    from forecast.design.prepare import ModelData
    from forecast.io.document import ForecastDocument
    from forecast.model.sample import Fit

__all__ = [
    "Checked",
    "RunResult",
    "check_out_path",
    "finish_run",
    "run",
    "sampler_settings",
    "scenario_file",
    "validate",
]

_OPTIONS = ("seed", "draws", "tune", "chains", "backend")


@dataclass
class RunResult:
    document: ForecastDocument
    paths: dict
    idata: object


def sampler_settings(
    scenario: Scenario, *, report: bool = True, source: str | Path = "scenario", **overrides
) -> Sampler:
    """The scenario's sampler settings with the given overrides, checked by the same bounds.

    Parameters
    ----------
    scenario
        The validated scenario.
    report
        Whether a PDF report will be rendered from the fit: its influence estimates (PSIS)
        need at least :data:`~forecast.analysis.psis.MIN_DRAWS` posterior draws in all.
    source
        The scenario file, named when a setting that breaks a bound comes from it.
    **overrides
        ``seed``, ``draws``, ``tune``, ``chains``, ``backend``; None keeps the scenario's.

    Raises
    ------
    InputError
        Naming the option (``--draws``, ...) and the bound it breaks, or why the settings are
        too small for the report.
    """
    from forecast.analysis.psis import MIN_DRAWS

    given = {k: v for k, v in overrides.items() if v is not None}
    unknown = sorted(set(given) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"unknown sampler setting {unknown[0]!r}")
    try:
        settings = Sampler.model_validate({**scenario.sampler.model_dump(), **given})
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        name = str(err["loc"][0])
        option = f"--{'sampler' if name == 'backend' else name}"
        where = option if name in given else f"sampler -> {name}"
        msg = err["msg"][:1].lower() + err["msg"][1:]
        raise InputError("command line" if name in given else source, where, msg) from None
    total = settings.draws * settings.chains
    if report and total < MIN_DRAWS:
        overridden = "draws" in given or "chains" in given
        raise InputError(
            "command line" if overridden else source,
            "--draws" if overridden else "sampler -> draws",
            f"{settings.chains} chain(s) x {settings.draws} draws = {total} posterior draws, "
            f"too few for the report's influence estimates (PSIS needs at least {MIN_DRAWS}); "
            "expected more draws or chains",
        )
    return settings


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
    compare: str | Path | None = None,
    progress: bool = False,
    cache: bool = True,
) -> RunResult:
    """Validate, fit, forecast and write the outputs of one scenario.

    With ``report`` (the default) the PDF report is written too, as ``report.pdf``; ``scale``,
    ``backtest`` and ``compare`` (a saved run for the "Compared with" section) are passed to
    :func:`forecast.report.render.render_pdf`. ``seed``, ``draws``, ``tune``, ``chains`` and
    ``sampler`` (the NUTS backend: ``numpyro``, ``pymc`` or ``nutpie``) override the scenario's
    ``sampler`` block, within the same bounds; the settings used are recorded in forecast.json.
    ``progress`` shows the sampler's progress bar. An unchanged scenario, dataset, settings and
    package reuse the posterior cached by an earlier run (:mod:`forecast.model.cache`);
    ``cache=False`` samples afresh and stores nothing (nor reads or stores the report's
    figures, :mod:`forecast.report.figure_cache`).

    Everything that can be checked is checked before PyMC is imported: the scenario and the
    dataset, the sampler settings, the whole output path and the report's options. The output
    directory is locked from before sampling to the end, and replaced only when every file of
    the new run is complete: on any failure or interrupt the previous run is left as it was.

    Raises
    ------
    InputError
        Bad input, an unusable ``--out`` (exit status 2), or another run holding the lock
        (:class:`~forecast.io.staging.RunBusy`).
    forecast.io.safe_write.WriteFailed
        The run directory could not be written (nothing of the new run is left).
    forecast.model.sample.SamplingIncomplete
        The sampler returned fewer chains or draws than asked for.
    """
    checked = validate(path, data_dir)  # before the heavy imports: bad input fails fast
    out = Path(out_dir) if out_dir else Path("reports") / checked.scenario.name
    check_out_path(out, RUN_FILES)
    settings = sampler_settings(
        checked.scenario,
        report=report,
        source=checked.path,
        seed=seed,
        draws=draws,
        tune=tune,
        chains=chains,
        backend=sampler,
    )
    track = None
    if report:  # a bad scale or backtest file fails before sampling
        from forecast.report.render import check_report_options

        track = check_report_options(out, scale, backtest, checked.scenario.dataset)
        if compare is not None:
            load_run(compare)  # a bad run to compare with fails before sampling

    from forecast.io.staging import RunLock

    with RunLock(out):
        from forecast.design.prepare import prepare
        from forecast.model.cache import cached_fit, posterior_key

        data = prepare(checked.scenario, checked.dataset)
        key = posterior_key(checked.scenario_sha256, checked.dataset.sha256, settings.model_dump())
        fit = cached_fit(
            data,
            key=key if cache else None,
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            seed=settings.seed,
            target_accept=settings.target_accept,
            cores=cores,
            backend=settings.backend,
            progress=progress,
        )
        return finish_run(
            out,
            checked,
            data,
            fit,
            settings.model_dump(),
            report=report,
            scale=scale,
            track=track,
            compare=compare,
            cache=cache,
        )


def finish_run(
    out: str | Path,
    checked: Checked,
    data: ModelData,
    fit: Fit,
    sampler: dict,
    *,
    report: bool = True,
    scale: str = "icd203",
    track: str | Path | None = None,
    compare: str | Path | None = None,
    cache: bool = True,
) -> RunResult:
    """Forecast from a fit and write the run directory ``out`` as one unit.

    The run identity (draws, settings, seed) goes into the stamp of every file; forecast.json
    records posterior.nc's hash; forecast.json, posterior.nc, the scenario's bytes and (with
    ``report``) report.pdf are written into a staging directory that replaces ``out`` only when
    all are complete.

    Parameters
    ----------
    out
        The run directory.
    checked
        The validated scenario and dataset (with the scenario's bytes).
    data
        The model's data for them.
    fit
        The complete fit.
    sampler
        The sampler settings used (recorded in forecast.json and in the run identity).
    report, scale, track, compare
        Whether to render the PDF report, its scale, its backtest file and a saved run to
        compare with.
    cache
        Whether the report's figures may be read from and stored in the figure cache
        (:mod:`forecast.report.figure_cache`); ``run --no-cache`` draws them afresh.
    """
    from forecast.io.outputs import run_outputs, write_outputs
    from forecast.io.staging import StagedDir

    out = Path(out)
    files = run_outputs(
        data,
        fit.idata,
        fit.diagnostics,
        sampler,
        checked.warnings,
        checked.scenario_sha256,
        checked.dataset.sha256,
    )
    document = files.document
    pdf = None
    if report:
        from forecast.report.render import render_pdf

        pdf = render_pdf(
            document,
            data,
            files.draws,
            scale=scale,
            backtest=track,
            compare=compare,
            run_dir=out,
            horizon=files.horizon,
            cache=cache,
        )
    with StagedDir(out, names=RUN_FILES) as staged:
        paths = write_outputs(staged, document, files.posterior_nc, checked.raw)
        if pdf is not None:
            staged.write_bytes("report.pdf", pdf)
            paths["report"] = out / "report.pdf"
        staged.commit()
    return RunResult(document=document, paths=paths, idata=fit.idata)
