"""Argument parsing shared by every subcommand: one-line errors and whole-number options."""

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
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number for {option}") from None
        if value < low:
            raise argparse.ArgumentTypeError(f"expected {option} >= {low}, got {value}")
        if high is not None and value > high:
            raise argparse.ArgumentTypeError(f"expected {option} <= {high}, got {value}")
        return value

    return parse
