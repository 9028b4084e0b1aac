"""The ``backtest`` subcommand: options, one-line errors for bad ones, and the summary."""

from __future__ import annotations

import argparse
import sys

from forecast.cli.args import show_progress, whole_number
from forecast.io.sanitize import terminal_safe


def _silent(line: str) -> None:
    """No progress lines (not on a terminal, or --quiet)."""


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``backtest`` on the CLI's subcommands. Options are read as text and checked
    by the backtest itself, so every bad value gets the same one-line error."""
    bt = sub.add_parser(
        "backtest",
        help="score the model's past forecasts against what happened and two baselines",
    )
    bt.add_argument("--start", help="first origin, YYYY-MM-DD (default 2014-01-01)")
    bt.add_argument(
        "--end",
        help="last origin, YYYY-MM-DD (default: the last one whose longest window ends by the "
        "dataset's coverage end)",
    )
    bt.add_argument("--every", help="step between origins: 1M, 2W, 14D (default 1M)")
    bt.add_argument("--windows", help="window lengths in days after each origin (default 90,180)")
    bt.add_argument(
        "--cases",
        metavar="FILE",
        help="score the rows of this CSV (as_of,horizon_end[,label,venue,analyst_call,source]) "
        "instead of the monthly origins: each row is fitted as of its as_of and scored to its "
        "horizon_end; not with --start/--end/--every/--windows (default: the monthly origins, "
        "with scenarios/backtest/seed-cases.csv as named cases)",
    )
    bt.add_argument(
        "--template", metavar="FILE", help="indicator template (default scenarios/backtest/)"
    )
    from forecast.domain.record import DEFAULT_DATASET, available_datasets

    bt.add_argument(
        "--dataset",
        default=DEFAULT_DATASET,
        help=f"the packaged dataset (leader pair) to backtest, one of "
        f"{', '.join(available_datasets())} (default {DEFAULT_DATASET}); its shipped template is "
        "the default",
    )
    bt.add_argument(
        "--out",
        help="output directory (default reports/backtest/; with --short reports/backtest-short/)",
    )
    bt.add_argument(
        "--draws", type=whole_number("--draws", 10), default=500, help="posterior draws per chain"
    )
    bt.add_argument(
        "--tune", type=whole_number("--tune", 10), default=500, help="tuning steps per chain"
    )
    bt.add_argument(
        "--chains", type=whole_number("--chains", 1, 16), default=2, help="chains per origin"
    )
    bt.add_argument("--seed", type=whole_number("--seed", 0), default=1, help="random seed")
    bt.add_argument("--json", action="store_true", help="print backtest.json instead of a summary")
    bt.add_argument(
        "--quiet", action="store_true", help="no progress lines (none off a terminal either)"
    )
    bt.add_argument(
        "--short",
        action="store_true",
        help="the short-horizon track instead: weekly and daily origins around every meeting "
        "and signal episode, windows of 7, 14 and 30 days, scored against the constant rate and "
        "the rule 'an official announcement = yes' (writes short-horizon.json)",
    )
    return bt


def run(args: argparse.Namespace) -> int:
    """Run the backtest from parsed arguments; print the summary (or the JSON)."""
    import json

    from forecast.backtest import backtest
    from forecast.backtest.outputs import summary_text

    sampler = {k: getattr(args, k) for k in ("draws", "tune", "chains", "seed")}
    if args.short:
        from forecast.backtest.short import short_backtest, short_summary

        doc, path = short_backtest(
            args.out,
            dataset=args.dataset,
            template=args.template,
            echo=lambda line: print(line, file=sys.stderr),
            **sampler,
        )
        if args.json:
            print(json.dumps(doc, indent=2, ensure_ascii=False))
        else:
            print(short_summary(doc) + f"\nWritten: {path}")
        return 0
    doc, paths = backtest(
        args.out,
        start=args.start,
        end=args.end,
        every=args.every,
        windows=args.windows,
        cases=args.cases,
        template=args.template,
        dataset=args.dataset,
        echo=(lambda line: print(terminal_safe(line), file=sys.stderr))
        if show_progress(args)
        else _silent,
        **sampler,
    )
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        print(terminal_safe(summary_text(doc, paths)))
    return 0
