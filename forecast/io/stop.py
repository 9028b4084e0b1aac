"""Whether the running command has been asked to stop (Ctrl-C or SIGTERM), and what its output
directories hold if it stops now.

The command line's signal handler (:class:`forecast.cli.interrupts.Interrupts`) records the
signal here as well as raising ``KeyboardInterrupt``. A ``KeyboardInterrupt`` raised where
Python ignores exceptions (a finaliser, a callback) is lost; the record is not, and
:class:`forecast.io.staging.StagedDir` consults it before swapping a run into place, so a stop
that came at any moment means nothing new is published.

:class:`~forecast.io.staging.RunLock` and :class:`~forecast.io.staging.StagedDir` also note
here each output directory the command is about to write (:func:`note_target`) and each one
swapped into place (:func:`note_published`), so that the line printed after a stop
(:func:`outcome`) says what each holds: the complete new run or the previous one, untouched.
"""

from __future__ import annotations

import os
from pathlib import Path

_received: int | None = None
# each output directory of the command: whether it existed when first noted, whether the
# command has published a complete new one
_targets: dict[str, list[bool]] = {}


def request(signum: int) -> None:
    """Record that signal ``signum`` asked the command to stop (the first one counts)."""
    global _received
    if _received is None:
        _received = signum


def requested() -> int | None:
    """The signal that asked the command to stop, or None."""
    return _received


def raise_if_requested() -> None:
    """Raise ``KeyboardInterrupt`` if a stop was requested: called just before an output is
    swapped into place, so that a stop whose ``KeyboardInterrupt`` was lost (raised where
    Python ignores exceptions) still publishes nothing."""
    if _received is not None:
        raise KeyboardInterrupt


def clear() -> None:
    """Forget any request and every noted directory (a new command starts)."""
    global _received
    _received = None
    _targets.clear()


def note_target(out: str | Path) -> None:
    """Note that the command will write output directory ``out`` (noted once: whether it
    existed is taken the first time)."""
    _targets.setdefault(str(out), [os.path.lexists(out), False])


def note_published(out: str | Path) -> None:
    """Note that a complete new ``out`` has been swapped into place."""
    note_target(out)
    _targets[str(out)][1] = True


def outcome() -> str:
    """One line on what a stop now leaves: for each noted directory, whether it holds the
    complete new output, the previous one untouched, or nothing; "nothing was written" if the
    command noted none."""
    if not _targets:
        return "nothing was written"
    parts = []
    for out, (existed, published) in _targets.items():
        if published:
            parts.append(f"{out} was written in full before the stop")
        elif existed:
            parts.append(f"nothing new was written; {out} is as it was")
        else:
            parts.append(f"nothing was written to {out}")
    return "; ".join(parts)
