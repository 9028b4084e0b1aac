"""The ``update`` subcommand: roll a saved run forward to a new as-of date and say what changed."""

from __future__ import annotations

import argparse

from forecast.cli.args import add_sampler_options


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``update`` on the CLI's subcommands."""
    up = sub.add_parser(
        "update",
        help="roll a saved run forward to a new as-of date (past windows dropped, news added), "
        "run it and report the change since the previous forecast",
    )
    up.add_argument("run_dir", metavar="RUN_DIR", help="a directory written by 'forecast run'")
    up.add_argument("--as-of", required=True, dest="as_of", help="the new as-of date, YYYY-MM-DD")
    up.add_argument(
        "--event",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML file of events the dataset does not hold (a scenario's 'events'); repeatable",
    )
    up.add_argument(
        "--signal",
        action="append",
        default=[],
        metavar="FILE",
        help="YAML file of signals (a scenario's 'signals'); repeatable",
    )
    up.add_argument("--out", help="output directory (default reports/<scenario>-<as-of>/)")
    add_sampler_options(up, seed="seed (default: the run's)", draws="draws per chain")
    up.add_argument("--no-report", action="store_true", help="do not render report.pdf")
    return up


def run(args: argparse.Namespace) -> int:
    """Roll forward, run, print the scenario's changes and the change in the forecast."""
    from forecast import workflow
    from forecast.io.outputs import summary_text
    from forecast.report.comparison import summary_text as comparison_text

    done = workflow.update(
        args.run_dir,
        args.as_of,
        events=args.event,
        signals=args.signal,
        out_dir=args.out,
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        seed=args.seed,
        sampler=args.sampler,
        report=not args.no_report,
    )
    print("Rolled forward:")
    for change in done.changes:
        print(f"  {change}")
    print()
    print(summary_text(done.result.document, done.result.paths))
    print()
    print("Change since the previous forecast (A = previous, B = this one):")
    print(comparison_text(done.comparison))
    return 0
