"""The runs built on a forecast: the notebook's :func:`ensure_run` and :func:`what_if`
re-forecasts, :func:`compare` of scenarios or saved runs, :func:`sensitivity` of a scenario's
headline to its priors and :func:`update`, which rolls a saved run forward.

Like :mod:`forecast.pipeline`, whose :func:`~forecast.pipeline.run` each of them calls, this is
the top of the library: only the command line imports it.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from forecast.errors import InputError
from forecast.io.out_path import check_out_path
from forecast.io.rundir import SavedRun, load_run
from forecast.pipeline import RunResult, run, validate

if TYPE_CHECKING:  # imported when used
    from forecast.analysis.compare import Comparison
    from forecast.analysis.explore import ExploreSettings
    from forecast.analysis.whatif import Change, WhatIf

__all__ = ["Update", "compare", "ensure_run", "sensitivity", "update", "what_if"]


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


def compare(
    sources: list[str | Path],
    *,
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    seed: int | None = None,
    sampler: str | None = None,
    echo=None,
) -> Comparison:
    """Forecasts side by side (:mod:`forecast.analysis.compare`): each source is a scenario
    file (or a shipped scenario's name), fitted here, or a saved run directory, read back.

    Every source is validated before anything is sampled. Scenario files that share data,
    priors and sampler settings (one :func:`~forecast.analysis.compare.fit_key`) are fitted
    once and share their posterior draws, so their differences are paired draw by draw. The
    sampler options override each scenario's own ``sampler`` block.

    Raises
    ------
    InputError
        For fewer than two sources or any bad one, before sampling.
    """
    from forecast.analysis.compare import Item, compare, fit_key, items_from_runs

    if len(sources) < 2:
        raise InputError("compare", None, "expected at least two scenarios or run directories")
    overrides = dict(seed=seed, draws=draws, tune=tune, chains=chains, backend=sampler)
    planned: list = []
    for src in sources:
        if Path(src).is_dir():
            planned.append(("run", src))
            continue
        checked = validate(src)
        from forecast.design.prepare import prepare

        settings = checked.scenario.sampler.model_copy(
            update={k: v for k, v in overrides.items() if v is not None}
        )
        data = prepare(checked.scenario, checked.dataset)
        planned.append(
            ("scenario", (checked, data, settings, fit_key(data, settings.model_dump())))
        )
    fitted: dict[str, object] = {}
    items: list[Item] = []
    for kind, what in planned:
        if kind == "run":
            items.extend(items_from_runs([what]))
            continue
        checked, data, settings, key = what
        if key not in fitted:
            from forecast.model.sample import sample
            from forecast.predict import Draws

            if echo:
                echo(
                    f"fitting {checked.scenario.name} "
                    f"({settings.chains} chains x {settings.draws} draws)"
                )
            fit = sample(
                data,
                draws=settings.draws,
                tune=settings.tune,
                chains=settings.chains,
                seed=settings.seed,
                target_accept=settings.target_accept,
                backend=settings.backend,
            )
            fitted[key] = Draws.from_dataset(fit.idata["posterior"].to_dataset())
        elif echo:
            echo(f"{checked.scenario.name}: same data, priors and settings, reusing the draws")
        items.append(Item(checked.scenario.name, _shown(checked.path), data, fitted[key], key))
    return compare(items, seed=seed or 0)


def _shown(path: Path) -> str:
    """A path as a reader would type it: relative to the current directory when inside it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def sensitivity(
    path: str | Path,
    out_dir: str | Path | None = None,
    *,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    seed: int | None = None,
    echo=None,
) -> tuple[dict, dict]:
    """Refit a scenario with each prior at each end of its range (:mod:`forecast.sensitivity`)
    and write ``sensitivity.json``, ``sensitivity.csv`` and ``tornado.svg`` into ``out_dir``
    (default ``reports/<scenario>-sensitivity/``, where the scenario's report finds it).

    Returns
    -------
    tuple
        The ``sensitivity.json`` document and the written paths.
    """
    checked = validate(path)
    sc = checked.scenario
    out = Path(out_dir) if out_dir else Path("reports") / f"{sc.name}-sensitivity"
    from forecast.sensitivity.outputs import FILES, document, write

    check_out_path(out, FILES)
    from forecast.design.prepare import prepare
    from forecast.sensitivity import sensitivity as refit

    data = prepare(sc, checked.dataset)
    result = refit(
        data,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=sc.sampler.seed if seed is None else seed,
        echo=echo,
    )
    doc = document(
        result,
        data,
        {"scenario_sha256": checked.scenario_sha256, "data_sha256": checked.dataset.sha256},
    )
    return doc, write(doc, out)


@dataclass
class Update:
    """A run rolled forward: the new run, what changed in the scenario, and the comparison of
    the previous forecast (A) with the new one (B)."""

    result: RunResult
    changes: list[str]
    comparison: Comparison
    previous: Path


def update(
    run_dir: str | Path,
    as_of: date | str,
    *,
    events: list[str | Path] = (),
    signals: list[str | Path] = (),
    out_dir: str | Path | None = None,
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    seed: int | None = None,
    sampler: str | None = None,
    report: bool = True,
) -> Update:
    """Roll a saved run's scenario forward to ``as_of``
    (:func:`forecast.config.update.roll_forward`), run it into ``out_dir`` (default
    ``reports/<scenario>-<as_of>/``) with the saved run's sampler settings unless overridden,
    and compare it with the saved run (the report gains the "Compared with" section).

    Raises
    ------
    InputError
        For a bad run directory, date or news file, before anything is sampled.
    """
    from forecast.analysis.compare import compare, items_from_runs
    from forecast.config.scenario import parse_scenario
    from forecast.config.update import news_items, roll_forward
    from forecast.config.yaml_loader import load_yaml

    saved = load_run(run_dir)
    try:
        day = as_of if isinstance(as_of, date) else date.fromisoformat(str(as_of))
    except ValueError:
        raise InputError("--as-of", None, f"expected a date as YYYY-MM-DD, got {as_of!r}") from None
    raw = load_yaml(saved.scenario_path)
    new, changes = roll_forward(
        raw,
        day,
        events=[x for f in events for x in news_items(f, "events")],
        signals=[x for f in signals for x in news_items(f, "signals")],
        source=str(saved.scenario_path),
    )
    source = f"{saved.scenario_path} (rolled forward to {day})"
    parse_scenario(new, source)  # one line naming the field, before anything is written
    out = Path(out_dir) if out_dir else Path("reports") / f"{saved.scenario.name}-{day}"
    before = saved.document.sampler
    settings = {
        "draws": draws or before.draws,
        "tune": tune or before.tune,
        "chains": chains or before.chains,
        "seed": before.seed if seed is None else seed,
        "sampler": sampler or before.backend,
    }
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(
            f"# {saved.scenario.name} rolled forward from {saved.path} ({saved.scenario.as_of}) "
            f"to {day}:\n"
            + "".join(f"#   {c}\n" for c in changes)
            + yaml.safe_dump(new, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        result = run(path, out, report=report, compare=saved.path if report else None, **settings)
    comparison = compare(items_from_runs([saved.path, out]))
    return Update(result, changes, comparison, saved.path)
