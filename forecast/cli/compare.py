"""The ``compare`` subcommand: scenarios or saved runs side by side, with differences."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from forecast.cli.args import add_sampler_options


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``compare`` on the CLI's subcommands."""
    cmp = sub.add_parser(
        "compare",
        help="put scenarios or saved runs side by side, with differences and their intervals",
    )
    cmp.add_argument(
        "sources",
        nargs="+",
        metavar="SCENARIO_OR_RUN_DIR",
        help="two or more scenario files (fitted now; shipped ones by name) or run directories",
    )
    cmp.add_argument(
        "--out",
        metavar="DIR",
        help="also write comparison.json, comparison.csv and comparison.pdf into DIR",
    )
    add_sampler_options(cmp, seed="random seed for the fits")
    cmp.add_argument("--json", action="store_true", help="print comparison.json instead")
    return cmp


def run(args: argparse.Namespace) -> int:
    """Compare from parsed arguments; print the table (or the JSON); write files with --out."""
    import json

    from forecast import workflow
    from forecast.report import comparison as out

    if args.out is not None:
        from pathlib import Path

        from forecast.io.out_path import check_out_path
        from forecast.report.comparison import FILES

        check_out_path(Path(args.out), FILES)
    result = workflow.compare(
        args.sources,
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        seed=args.seed,
        sampler=args.sampler,
        echo=lambda line: print(line, file=sys.stderr),
    )
    if args.json:
        print(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        print(out.summary_text(result))
    if args.out is not None:
        generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        paths = out.write(result, args.out, generated)
        print("Wrote " + ", ".join(str(p) for p in paths.values()), file=sys.stderr)
    return 0
