"""Argument parsing shared by every subcommand: one-line errors, whole-number options (the
sampler's bounded by the scenario schema's own bounds) and whether to show progress."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line on stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"error: {self.prog}: {message} (see '{self.prog} --help')\n")
        sys.exit(2)


def whole_number(option: str, low: int, high: int | None = None) -> Callable[[str], int]:
    """An argparse ``type`` accepting a whole number from ``low`` (to ``high``, if given)."""

    def parse(text: str) -> int:
        try:
            if len(text.strip()) > 40:  # int() of thousands of digits is slow and pointless
                raise ValueError
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number for {option}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected {option} >= {low}, got {value}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"expected {option} <= {high}, got {value}")
        return value

    return parse


def schema_bounds(model: type, field: str) -> tuple[int, int | None]:
    """The ``ge``/``le`` bounds a pydantic model declares for ``field`` (the one source of them).

    Parameters
    ----------
    model
        A pydantic model class, e.g. :class:`forecast.config.scenario.Sampler`.
    field
        One of its integer fields.

    Returns
    -------
    tuple
        ``(low, high)``; ``high`` is None when the field has no upper bound.
    """
    low, high = 0, None
    for meta in model.model_fields[field].metadata:
        low = getattr(meta, "ge", None) if getattr(meta, "ge", None) is not None else low
        high = getattr(meta, "le", None) if getattr(meta, "le", None) is not None else high
    return int(low), None if high is None else int(high)


def sampler_option(field: str, option: str | None = None) -> Callable[[str], int]:
    """An argparse ``type`` for a sampler setting, bounded as the scenario's ``sampler`` is."""
    from forecast.config.scenario import Sampler

    low, high = schema_bounds(Sampler, field)
    return whole_number(option or f"--{field}", low, high)


def add_sampler_options(
    parser: argparse.ArgumentParser,
    *,
    seed: str,
    draws: str = "posterior draws per chain",
    tune: str = "tuning steps per chain",
    chains: str = "number of chains",
    sampler: str = "NUTS implementation",
) -> None:
    """``--seed``, ``--draws``, ``--tune``, ``--chains`` (bounded by :func:`sampler_option`) and
    ``--sampler`` (a backend of :data:`~forecast.model.backends.BACKENDS`), with these helps."""
    from forecast.model.backends import BACKENDS

    for field, text in (("seed", seed), ("draws", draws), ("tune", tune), ("chains", chains)):
        parser.add_argument(f"--{field}", type=sampler_option(field), help=text)
    parser.add_argument("--sampler", choices=BACKENDS, help=sampler)


def show_progress(args: argparse.Namespace) -> bool:
    """Whether to show progress: on a terminal (stderr), unless ``--quiet``."""
    if getattr(args, "quiet", False):
        return False
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
