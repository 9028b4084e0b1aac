"""The command line: a thin layer over :mod:`forecast.pipeline`.

PyMC is imported only by ``run``, so ``--help``, ``--version`` and ``validate`` stay instant.
Exit status: 0 on success, 2 on bad input (one line naming the file and field), 1 otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import warnings
from importlib import import_module
from typing import NoReturn

from forecast import __version__
from forecast.cli.args import Parser, add_sampler_options, show_progress
from forecast.cli.interrupts import Interrupts
from forecast.errors import InputError, RunFailed
from forecast.io.safe_write import WriteFailed
from forecast.io.sanitize import terminal_safe
from forecast.io.stop import outcome

# Subcommands in a module of their own (forecast/cli/<name>.py with add_parser and run).
EXTRA_COMMANDS = ("compare", "sensitivity", "update")


def _report_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scale",
        choices=("icd203", "phia"),
        default="icd203",
        help="estimative-language yardstick of the PDF report (default icd203)",
    )
    parser.add_argument(
        "--backtest",
        metavar="PATH",
        help="backtest.json (or its directory) for the report's track record (default: beside "
        "the run, else reports/backtest/)",
    )
    parser.add_argument(
        "--compare",
        metavar="RUN_DIR",
        help="a saved run to compare with: the report gains a 'Compared with' section",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="python -m forecast",
        description="Probability of the timing and venue of the next summit of two leaders "
        "(the pair is the scenario's dataset; kim-putin by default).",
    )
    parser.add_argument("--version", action="version", version=f"summit-forecast {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="fit the model and forecast one scenario")
    run.add_argument(
        "scenario",
        help="scenario YAML file (e.g. scenarios/june-anniversary.yaml) or a shipped one's name",
    )
    run.add_argument("--out", help="output directory (default reports/<scenario name>/)")
    add_sampler_options(
        run,
        seed="random seed (overrides the file)",
        sampler="NUTS implementation (overrides the file; default numpyro; pymc is the reference)",
    )
    run.add_argument(
        "--no-cache",
        action="store_true",
        help="sample and draw afresh: neither reuse nor store a cached posterior or figures",
    )
    run.add_argument("--json", action="store_true", help="print forecast.json instead of a summary")
    run.add_argument(
        "--quiet", action="store_true", help="no progress bar while sampling (none off a terminal)"
    )
    _report_options(run)

    rep = sub.add_parser("report", help="re-render report.pdf from a saved run (no sampling)")
    rep.add_argument("run_dir", metavar="RUN_DIR", help="a directory written by 'forecast run'")
    rep.add_argument("--out", help="PDF file to write (default RUN_DIR/report.pdf)")
    _report_options(rep)

    from forecast.cli.backtest import add_parser as add_backtest

    add_backtest(sub)

    from forecast.cli.validate import add_parser as add_validate

    add_validate(sub)

    for name in EXTRA_COMMANDS:
        import_module(f"forecast.cli.{name}").add_parser(sub)

    sch = sub.add_parser("schema", help="print the JSON Schema of a scenario file or forecast.json")
    sch.add_argument("which", choices=("scenario", "forecast"), help="which document's schema")
    return parser


def _run(args: argparse.Namespace) -> int:
    from forecast.io.outputs import summary_text
    from forecast.pipeline import run

    result = run(
        args.scenario,
        args.out,
        seed=args.seed,
        draws=args.draws,
        tune=args.tune,
        chains=args.chains,
        sampler=args.sampler,
        scale=args.scale,
        backtest=args.backtest,
        compare=args.compare,
        progress=show_progress(args),
        cache=not args.no_cache,
    )
    if args.json:
        print(result.document.to_json(), end="")
    else:
        print(terminal_safe(summary_text(result.document, result.paths)))
    return 0


def _report(args: argparse.Namespace) -> int:
    from forecast.report.render import render_run

    path = render_run(
        args.run_dir, args.out, scale=args.scale, backtest=args.backtest, compare=args.compare
    )
    print(terminal_safe(f"Wrote {path}"))
    return 0


def _validate(args: argparse.Namespace) -> int:
    from forecast.cli import validate as checks

    if checks.wants_checks(args):  # --sbc / --recovery, or a usage error
        return checks.run(args)
    from forecast.pipeline import validate

    checked = validate(args.scenario)
    sc = checked.scenario
    print(
        terminal_safe(
            f"{checked.path}: ok — scenario '{sc.name}', as of {sc.as_of}, horizon to "
            f"{sc.horizon_end}, {len(sc.windows)} window(s), {len(sc.indicators)} indicator(s), "
            f"{len(sc.venues.judgments)} venue judgment(s), {len(sc.events)} event(s); dataset "
            f"{checked.dataset.meta.name} to {checked.dataset.meta.coverage_end} "
            f"(sha256 {checked.dataset.sha256[:12]})"
        )
    )
    for w in checked.warnings:
        _say(f"warning: {w}")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return its exit status.

    0 on success; 2 on bad input (one line naming the file and field); 1 when the outputs
    cannot be written or sampling failed (one line); 130 or 143 after Ctrl-C or SIGTERM
    (one line: "interrupted: " and what each output directory now holds, the previous run
    untouched unless the new one was complete before the stop).
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, or a one-line argument error
        return exc.code if isinstance(exc.code, int) else 2
    for w in ("ignore",):
        warnings.simplefilter(w, category=FutureWarning)
    with Interrupts() as stop:
        try:
            status = _dispatch(args)
            if stop.received is not None:  # the interrupt was swallowed on its way up
                _say(f"interrupted: {outcome()}")
                return stop.status
            return status
        except BaseException as exc:
            if stop.received is not None or isinstance(exc, KeyboardInterrupt):
                _say(f"interrupted: {outcome()}")
                return stop.status
            if isinstance(exc, InputError):
                _say(f"error: {exc}")
                return 2
            if isinstance(exc, WriteFailed | RunFailed):
                _say(f"error: {exc}")
                return 1
            raise


def leave(status: int | None) -> NoReturn:
    """End the process with ``status`` once a command has finished, skipping the interpreter's
    teardown (``python -m forecast`` calls it with :func:`main`'s status).

    By then every file of the command is written, closed and moved into place; what the
    teardown would add is freeing every imported module (about 0.3 s after a cached ``run``,
    0.8 s once JAX has run in the process) and stopping JAX's runtime threads, which can crash
    doing it. Logging and the standard streams are flushed first; a reader that has gone away
    (a closed pipe) is no error. ``None`` is status 0, as for :func:`sys.exit`.
    """
    if "logging" in sys.modules:
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(0 if status is None else int(status))


def console() -> NoReturn:
    """The ``summit-forecast`` console script: :func:`main`, then :func:`leave`, as
    ``python -m forecast`` does."""
    leave(main())


def _say(line: str) -> None:
    """One line on stderr, with control characters from files made visible."""
    print(terminal_safe(line).replace("\n", " "), file=sys.stderr)


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "report":
        return _report(args)
    if args.command == "run":
        return _run(args)
    if args.command == "schema":
        from forecast.io.schemas import dumps, forecast_schema, scenario_schema

        schema = scenario_schema() if args.which == "scenario" else forecast_schema()
        sys.stdout.write(dumps(schema))
        return 0
    if args.command == "backtest":
        from forecast.cli.backtest import run as run_backtest

        return run_backtest(args)
    if args.command in EXTRA_COMMANDS:
        return import_module(f"forecast.cli.{args.command}").run(args)
    return _validate(args)
