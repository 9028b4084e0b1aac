"""The backtest: how would the model have done, with only what was known at each date?

``python -m forecast backtest`` fits the model at every origin (monthly by default) with the
record and the analysts' statements as known on that date, forecasts the probability of a
summit within each window and its venue, and scores the forecasts against what happened and
against two constant-rate baselines. See docs/backtest.md.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

__all__ = ["backtest"]


def backtest(
    out_dir: str | Path | None = None,
    *,
    start: str | None = None,
    end: str | None = None,
    every: str = "1M",
    windows: str | None = None,
    cases: str | Path | None = None,
    template: str | Path | None = None,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    seed: int = 1,
    data_dir: str | Path | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> tuple[dict, dict[str, Path]]:
    """Check the inputs, run the backtest and write its outputs; return the document and paths.

    Every input is checked before sampling starts; bad input raises
    :class:`~forecast.errors.InputError` and nothing is written.

    Parameters
    ----------
    out_dir
        Output directory (default ``reports/backtest``).
    start, end, every, windows
        Origins from ``start`` to ``end`` (YYYY-MM-DD) every ``every`` (``1M``, ``2W``,
        ``14D``), and the window lengths in days (``"90,180"``).
    cases, template
        The named-cases CSV and the indicator template (defaults in ``scenarios/backtest/``).
    draws, tune, chains, seed
        nutpie sampler settings for every origin.
    data_dir
        Dataset directory (the packaged one by default).
    echo
        Called with progress lines.
    """
    from forecast.backtest.origins import (
        DEFAULT_CASES,
        DEFAULT_TEMPLATE,
        file_sha256,
        load_cases,
        load_template,
        make_settings,
    )
    from forecast.dataset import load_dataset
    from forecast.runner import check_out_dir

    dataset = load_dataset(data_dir)
    settings = make_settings(
        dataset,
        start=start,
        end=end,
        every=every,
        windows=windows,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
    )
    tpl = load_template(template or DEFAULT_TEMPLATE, dataset)
    cases_path = Path(cases) if cases is not None else DEFAULT_CASES
    case_list = load_cases(cases_path, dataset)
    out = Path(out_dir) if out_dir is not None else Path("reports") / "backtest"
    check_out_dir(out)

    from forecast.backtest.outputs import make_stamp, write_all
    from forecast.backtest.run import run_backtest

    bt = run_backtest(settings, dataset, tpl, case_list, echo=echo)
    stamp = make_stamp(dataset.sha256, file_sha256(cases_path), tpl.sha256)
    return write_all(bt, out, stamp)
