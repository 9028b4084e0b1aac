"""The library entry points behind the commands: validate a scenario, run a forecast, and
the runs built on them (the notebook's :func:`ensure_run`, :func:`what_if` re-forecasts).

This is the top of the library: only the command line imports it. ``validate`` lives with
the cross-checks (:mod:`forecast.design.inputs`) and ``check_out_dir`` with the run
directories (:mod:`forecast.io.rundir`); both are re-exported here.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from forecast.design.inputs import Checked, scenario_file, validate
from forecast.errors import InputError
from forecast.io.rundir import SavedRun, check_out_dir, load_run

if TYPE_CHECKING:  # the notebook's helpers are imported when used: validate stays light
    from forecast.analysis.explore import ExploreSettings
    from forecast.analysis.whatif import Change, WhatIf
    from forecast.io.document import ForecastDocument

__all__ = [
    "Checked",
    "RunResult",
    "check_out_dir",
    "ensure_run",
    "run",
    "scenario_file",
    "validate",
    "what_if",
]


@dataclass
class RunResult:
    document: ForecastDocument
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
    cache: bool = True,
) -> RunResult:
    """Validate, fit, forecast and write the outputs of one scenario.

    With ``report`` (the default) the PDF report is written too, as ``report.pdf``; ``scale``
    and ``backtest`` are passed to :func:`forecast.report.render.render`. ``seed``, ``draws``,
    ``tune``, ``chains`` and ``sampler`` (the NUTS backend: ``numpyro``, ``pymc`` or
    ``nutpie``) override the scenario's ``sampler`` block; the settings used are recorded in
    forecast.json. An unchanged scenario, dataset, settings and package reuse the posterior
    cached by an earlier run (:mod:`forecast.model.cache`); ``cache=False`` samples afresh and
    stores nothing.
    """
    checked = validate(path, data_dir)  # before the heavy imports: bad input fails fast
    out = Path(out_dir) if out_dir else Path("reports") / checked.scenario.name
    check_out_dir(out)
    track = None
    if report:  # a bad scale or backtest file fails before sampling
        from forecast.report.render import check_report_options

        track = check_report_options(out, scale, backtest, checked.scenario.dataset)

    from forecast.design.prepare import prepare
    from forecast.io.outputs import forecast_document, stamp, write_outputs
    from forecast.model.cache import cached_fit, posterior_key
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


def ensure_run(settings: ExploreSettings) -> SavedRun:
    """Load ``settings.run_dir``; if it does not exist yet, run the scenario into it first.

    An existing directory is never overwritten: if it is not a valid run, the
    :class:`~forecast.errors.InputError` from :func:`~forecast.io.rundir.load_run` says why.
    A missing directory is created only when it is the default one or its scenario was chosen
    too (``settings.scenario_given``): a chosen but missing run directory is an error, never a
    quiet run of the default scenario under its name.

    Raises
    ------
    InputError
        For a chosen run directory that does not exist, without a chosen scenario.
    """
    if not settings.run_dir.exists():
        if settings.run_given and not settings.scenario_given:
            raise InputError(
                "environment",
                "SUMMIT_RUN_DIR",
                f"no run directory {settings.run_dir}; expected one written by 'forecast run' "
                f"(create it with: python -m forecast run SCENARIO.yaml --out "
                f"{settings.run_dir}), or set SUMMIT_SCENARIO to the scenario to run into it",
            )
        run(
            settings.scenario,
            settings.run_dir,
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            seed=settings.seed,
        )
    return load_run(settings.run_dir)


def what_if(
    saved: SavedRun,
    change: Change,
    *,
    out_dir: str | Path | None = None,
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    seed: int | None = None,
) -> WhatIf:
    """Re-forecast ``saved``'s scenario with ``change`` applied; return old and new side by side.

    The changed scenario is validated before anything is sampled or written. Both forecasts
    use the same sampler settings and seed, by default those of ``saved``, so the difference is
    the change and not Monte Carlo noise: if any setting is overridden, the original scenario
    is re-run with the same settings too (into ``out_dir/baseline``).

    Parameters
    ----------
    saved
        The saved run to start from.
    change
        What to change, e.g. ``indicator_range("treaty_anniversary", (0.5, 2))``.
    out_dir
        Where the new run (``what-if/``) and, if needed, the re-run baseline (``baseline/``)
        are written; a new temporary directory if None.
    draws, tune, chains, seed
        Sampler settings; None keeps the saved run's.

    Raises
    ------
    InputError
        If the change names an unknown indicator or makes the scenario invalid.
    """
    from forecast.config.scenario import parse_scenario
    from forecast.config.yaml_loader import load_yaml

    raw = load_yaml(saved.scenario_path)
    source = f"{saved.scenario_path} (what-if: {change.description})"
    try:
        change.apply(raw)
    except InputError as exc:
        raise InputError(source, exc.field, exc.message) from None
    parse_scenario(raw, source)

    before = saved.document.sampler.model_dump()
    wanted = {"draws": draws, "tune": tune, "chains": chains, "seed": seed}
    settings = {k: before[k] if v is None else v for k, v in wanted.items()}
    out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="what-if-"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(
            f"# {saved.scenario.name}, what-if: {change.description}\n"
            + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        new = run(path, out / "what-if", **settings).document
    if all(settings[k] == before[k] for k in settings):
        old, old_dir = saved.document, saved.path
    else:
        old_dir = out / "baseline"
        old = run(saved.scenario_path, old_dir, **settings).document
    from forecast.analysis.whatif import WhatIf

    return WhatIf(change, old, new, old_dir, out / "what-if", settings)
