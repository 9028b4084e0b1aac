"""The ``sensitivity`` subcommand: the headline with each prior at each end of its range."""

from __future__ import annotations

import argparse
import sys

from forecast.cli.args import whole_number


def add_parser(sub: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Register ``sensitivity`` on the CLI's subcommands."""
    sen = sub.add_parser(
        "sensitivity",
        help="refit with each stated indicator and default prior at the ends of its range",
    )
    sen.add_argument("scenario", help="scenario YAML file or a shipped one's name")
    sen.add_argument(
        "--out",
        metavar="DIR",
        help="output directory (default reports/<scenario>-sensitivity/, where the scenario's "
        "report finds it)",
    )
    sen.add_argument(
        "--draws", type=whole_number("--draws", 50), default=500, help="draws per chain per fit"
    )
    sen.add_argument(
        "--tune", type=whole_number("--tune", 50), default=500, help="tuning steps per chain"
    )
    sen.add_argument(
        "--chains", type=whole_number("--chains", 1, 8), default=2, help="chains per fit"
    )
    sen.add_argument("--seed", type=whole_number("--seed", 0), help="seed (default: the file's)")
    sen.add_argument("--json", action="store_true", help="print sensitivity.json instead")
    return sen


def run(args: argparse.Namespace) -> int:
    """Run the refits; print the table (or the JSON) and the files written."""
    import json

    from forecast import workflow
    from forecast.sensitivity.outputs import summary_text

    doc, paths = workflow.sensitivity(
        args.scenario,
        args.out,
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        seed=args.seed,
        echo=lambda line: print(line, file=sys.stderr),
    )
    print(json.dumps(doc, indent=2, ensure_ascii=False) if args.json else summary_text(doc))
    print("Wrote " + ", ".join(str(p) for p in paths.values()), file=sys.stderr)
    return 0
