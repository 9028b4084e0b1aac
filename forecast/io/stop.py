"""Whether the running command has been asked to stop (Ctrl-C or SIGTERM).

The command line's signal handler (:class:`forecast.cli.interrupts.Interrupts`) records the
signal here as well as raising ``KeyboardInterrupt``. A ``KeyboardInterrupt`` raised where
Python ignores exceptions (a finaliser, a callback) is lost; the record is not, and
:class:`forecast.io.staging.StagedDir` consults it before swapping a run into place, so a stop
that came at any moment means nothing new is published.
"""

from __future__ import annotations

_received: int | None = None


def request(signum: int) -> None:
    """Record that signal ``signum`` asked the command to stop (the first one counts)."""
    global _received
    if _received is None:
        _received = signum


def requested() -> int | None:
    """The signal that asked the command to stop, or None."""
    return _received


def clear() -> None:
    """Forget any request (a new command starts)."""
    global _received
    _received = None
