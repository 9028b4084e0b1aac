"""Ctrl-C and SIGTERM as one clean stop: exit 130 or 143, one line on what is kept, nothing
half-done.

While a command runs, :class:`Interrupts` turns SIGINT and SIGTERM into ``KeyboardInterrupt``
in the main thread and remembers which signal came. A ``KeyboardInterrupt`` is what PyMC's
samplers stop on: they shut their worker processes down (so none is left running) and return
the partial trace, which :func:`forecast.model.sample.check_complete` then refuses (a forked
worker that gets the signal itself, as Ctrl-C sends it to the whole process group, exits at
once and silently). Whatever
exception the stop surfaces as afterwards, the command line reports the remembered signal
(:attr:`Interrupts.received`) instead: one line, exit status ``128 + signal``. The run
directory is written through a staging directory, so the previous run is left as it was.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from types import FrameType, TracebackType

from forecast.io import stop

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupts:
    """Catch SIGINT and SIGTERM for the duration of a ``with`` block.

    Outside the main thread (where handlers cannot be installed) it does nothing.
    """

    def __init__(self) -> None:
        self.received: int | None = None
        self._saved: dict[int, object] = {}
        self._pid = os.getpid()
        self._hook: object = None

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:
            # A forked sampler worker (Ctrl-C reaches the whole process group): leave at once
            # and quietly; the main process stops the fit and reports the interrupt.
            os._exit(128 + signum)
        if self.received is None:
            self.received = signum
        stop.request(signum)
        raise KeyboardInterrupt

    def _unraisable(self, info: object) -> None:
        # The handler's KeyboardInterrupt landed in a finaliser or weakref callback, where
        # Python prints it as "Exception ignored in ..." and carries on. The stop is already
        # recorded (forecast.io.stop), so say nothing; anything else goes to the saved hook.
        if isinstance(getattr(info, "exc_value", None), KeyboardInterrupt) and stop.requested():
            return
        (self._hook or sys.__unraisablehook__)(info)  # type: ignore[operator]

    @property
    def status(self) -> int:
        """The exit status for the signal received: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + (self.received or signal.SIGINT)

    def __enter__(self) -> Interrupts:
        stop.clear()
        if threading.current_thread() is threading.main_thread():
            for sig in SIGNALS:
                self._saved[sig] = signal.signal(sig, self._handle)
            self._hook = sys.unraisablehook
            sys.unraisablehook = self._unraisable
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)  # type: ignore[arg-type]
        self._saved.clear()
        stop.clear()  # the stop belonged to this block: later work in the process may publish
        if self._hook is not None:
            sys.unraisablehook = self._hook  # type: ignore[assignment]
            self._hook = None
