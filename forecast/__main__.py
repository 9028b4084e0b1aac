import os
import signal
import sys


def _interrupted_at_start(signum, frame):  # before anything is read or written
    sys.stderr.write("interrupted: nothing was written\n")
    sys.stderr.flush()
    os._exit(128 + signum)


# Ctrl-C or SIGTERM while the package is still being imported: one line, no traceback; the
# command line's own handling (forecast.cli.interrupts) takes over once it runs.
for _sig in (signal.SIGINT, signal.SIGTERM):
    signal.signal(_sig, _interrupted_at_start)

from forecast.cli.main import leave, main  # noqa: E402

leave(main())
