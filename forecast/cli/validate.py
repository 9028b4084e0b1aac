"""The ``validate`` subcommand's arguments and its simulation-check branch.

``validate SCENARIO.yaml`` checks a scenario without sampling (handled in :mod:`forecast.cli.main`);
``validate --sbc`` and/or ``validate --recovery`` run the simulation checks instead. Nothing here
imports PyMC until a check actually runs.
"""

from __future__ import annotations

import argparse
import sys

from forecast.cli.args import show_progress, whole_number
from forecast.io.sanitize import terminal_safe

USAGE = (
    "usage: python -m forecast validate SCENARIO.yaml | validate --sbc [--sims N] "
    "[--recovery] [--out DIR] [--seed N]"
)
_SIM_OPTIONS = ("sims", "out", "seed", "replicates", "copies")


def add_parser(sub) -> argparse.ArgumentParser:
    """Add ``validate`` to the subcommands ``sub``."""
    val = sub.add_parser(
        "validate",
        help="check a scenario and the dataset without sampling, or run the simulation checks",
        description="Give either a SCENARIO file (checked without sampling) or --sbc and/or "
        "--recovery (simulation checks of the model, written to --out).",
    )
    val.add_argument("scenario", nargs="?", help="scenario YAML file, or a shipped scenario's name")
    val.add_argument(
        "--sbc", action="store_true", help="simulation-based calibration (prior SBC with simuk)"
    )
    val.add_argument(
        "--recovery",
        action="store_true",
        help="parameter recovery over a grid of true baseline rates x war multipliers",
    )
    val.add_argument(
        "--sims", type=whole_number("--sims", 20), help="SBC simulations (default 100; needs --sbc)"
    )
    val.add_argument("--out", help="output directory (default reports/validation/)")
    val.add_argument("--seed", type=whole_number("--seed", 0), help="random seed of the checks")
    val.add_argument(
        "--replicates",
        type=whole_number("--replicates", 1),
        help="simulated records per recovery grid cell (default 8; needs --recovery)",
    )
    val.add_argument(
        "--copies",
        type=whole_number("--copies", 1),
        help="times the real history is repeated in each recovery record (default 20)",
    )
    val.add_argument(
        "--quiet", action="store_true", help="no progress bars (none off a terminal either)"
    )
    return val


def wants_checks(args: argparse.Namespace) -> bool:
    """Whether ``validate`` was asked for anything other than checking one scenario file."""
    return (
        args.scenario is None
        or args.sbc
        or args.recovery
        or any(getattr(args, k) is not None for k in _SIM_OPTIONS)
    )


def _usage_problem(args: argparse.Namespace) -> str | None:
    checks = args.sbc or args.recovery
    if args.scenario is not None and checks:
        return "give either a SCENARIO file or --sbc/--recovery, not both"
    if args.scenario is None and not checks:
        return "give a SCENARIO file to check, or --sbc and/or --recovery"
    if args.scenario is not None:
        used = [f"--{k}" for k in _SIM_OPTIONS if getattr(args, k) is not None]
        return f"{', '.join(used)} can only be used with --sbc/--recovery, not with a SCENARIO file"
    if args.sims is not None and not args.sbc:
        return "--sims needs --sbc"
    if (args.replicates is not None or args.copies is not None) and not args.recovery:
        return "--replicates and --copies need --recovery"
    return None


def run(args: argparse.Namespace) -> int:
    """Run the requested simulation checks and print their summaries; 2 on a usage error."""
    problem = _usage_problem(args)
    if problem:
        print(f"error: validate: {problem} ({USAGE[7:]})", file=sys.stderr)
        return 2
    from forecast.validation.commands import checks_command

    print(
        terminal_safe(
            checks_command(
                args.out,
                sbc=args.sbc,
                recovery=args.recovery,
                sims=args.sims or 100,
                seed=args.seed,
                replicates=args.replicates or 8,
                copies=args.copies or 20,
                progress=show_progress(args),
            )
        )
    )
    return 0
