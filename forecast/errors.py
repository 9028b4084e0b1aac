"""Errors meant for people: a file, a field and what was expected."""

from __future__ import annotations

from pathlib import Path


class InputError(Exception):
    """Bad input from a user-edited file; the CLI prints it on one line and exits with 2."""

    def __init__(self, file: str | Path, field: str | None, message: str) -> None:
        self.file = str(file)
        self.field = field
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class RunFailed(Exception):
    """A run could not finish for a reason that is not the user's input (the sampler returned
    fewer draws than asked for, ...); the CLI prints it on one line and exits with 1."""
