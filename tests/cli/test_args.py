"""Shared argument parsing: the sampler options' bounds and when progress is shown."""

from __future__ import annotations

import argparse
import io

import pytest

from forecast.cli.args import sampler_option, show_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("quiet", "terminal", "shown"),
    [(False, True, True), (True, True, False), (False, False, False), (True, False, False)],
)
def test_progress_only_on_a_terminal_and_not_with_quiet(monkeypatch, quiet, terminal, shown):
    monkeypatch.setattr("sys.stderr", _Terminal() if terminal else io.StringIO())
    assert show_progress(argparse.Namespace(quiet=quiet)) is shown


def test_a_sampler_option_has_the_schema_bounds_and_refuses_huge_text():
    chains = sampler_option("chains")
    assert chains("16") == 16
    for text, expected in (("17", "<= 16"), ("0", ">= 1"), ("9" * 5000, "whole number")):
        with pytest.raises(argparse.ArgumentTypeError, match=expected):
            chains(text)
