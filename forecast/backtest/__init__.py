"""The backtest: how would the model have done, with only what was known at each date?

``python -m forecast backtest`` fits the model at every origin (monthly by default, or the rows
of a cases file) with the record and the analysts' statements as known on that date, forecasts
the probability of a summit within each window (or by the row's horizon end) and its venue, and
scores the forecasts against what happened and against two constant-rate baselines. See
docs/backtest.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forecast.backtest.engine import Engine

__all__ = ["BACKTEST_FILES", "backtest"]

#: Every file a backtest writes into its output directory (which is replaced as one unit).
BACKTEST_FILES = ("backtest.json", "origins.csv", "cases.csv", "reliability.svg", "forecasts.svg")


def backtest(
    out_dir: str | Path | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    every: str | None = None,
    windows: str | None = None,
    cases: str | Path | None = None,
    template: str | Path | None = None,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    seed: int = 1,
    dataset: str = "kim-putin",
    data_dir: str | Path | None = None,
    engine: Engine | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> tuple[dict, dict[str, Path]]:
    """Check the inputs, run the backtest and write its outputs; return the document and paths.

    Every input is checked before sampling starts; bad input raises
    :class:`~forecast.errors.InputError` and nothing is written.

    Parameters
    ----------
    out_dir
        Output directory (default ``reports/backtest``, ``reports/backtest-<dataset>`` for
        another dataset than the default).
    start, end, every, windows
        Origins from ``start`` to ``end`` (YYYY-MM-DD) every ``every`` (``1M``, ``2W``,
        ``14D``; default ``1M``), and the window lengths in days (``"90,180"``).
    cases
        A cases CSV whose rows are the origins, each scored to its own ``horizon_end`` and
        listed as a named case; not allowed with ``start``, ``end``, ``every`` or ``windows``.
        Without it, the range's origins are scored and the shipped seed cases are named cases.
    template
        The indicator template (default ``scenarios/backtest/indicators.yaml``).
    draws, tune, chains, seed
        nutpie sampler settings for every origin.
    dataset
        The packaged dataset (leader pair) to backtest; its shipped template and, for the
        default dataset, the seed cases are the defaults.
    data_dir
        A dataset directory instead of a packaged dataset (tests use it).
    engine
        A compiled :class:`~forecast.backtest.engine.Engine` for the same template to reuse
        (compiled here when ``None``).
    echo
        Called with progress lines.
    """
    from forecast.backtest.cases import load_cases
    from forecast.backtest.origins import (
        case_settings,
        default_cases,
        default_template,
        load_template,
        make_settings,
        refuse_range_with_cases,
    )
    from forecast.domain.record import dataset_dir, load_dataset
    from forecast.io.out_path import check_out_path
    from forecast.io.rundir import backtest_dir_name

    refuse_range_with_cases(cases, start, end, every, windows)
    dataset = load_dataset(  # the name, resolved to the dataset itself
        data_dir if data_dir is not None else dataset_dir(dataset, source="--dataset")
    )
    sampler = dict(draws=draws, tune=tune, chains=chains, seed=seed)
    cases_path = Path(cases) if cases is not None else default_cases(dataset.meta.name)
    in_range = None
    if cases is None:
        in_range = make_settings(
            dataset, start=start, end=end, every=every, windows=windows, **sampler
        )
    tpl = load_template(template or default_template(dataset.meta.name), dataset)
    from forecast.io.safe_read import read_input, sha256_bytes

    cases_bytes = read_input(cases_path, what="cases") if cases_path is not None else None
    case_list = load_cases(cases_path, dataset, cases_bytes) if cases_path is not None else []
    settings = in_range or case_settings(case_list, cases_path, **sampler)
    out = (
        Path(out_dir)
        if out_dir is not None
        else Path("reports") / backtest_dir_name(dataset.meta.name)
    )
    check_out_path(out, BACKTEST_FILES)

    from forecast.backtest.outputs import make_stamp, write_all
    from forecast.backtest.run import run_backtest
    from forecast.io.staging import RunLock

    with RunLock(out):  # a second backtest into the same directory is refused at once
        bt = run_backtest(settings, dataset, tpl, case_list, engine=engine, echo=echo)
        cases_sha = sha256_bytes(cases_bytes) if cases_bytes is not None else None
        stamp = make_stamp(dataset.sha256, cases_sha, tpl.sha256)
        return write_all(bt, out, stamp)
