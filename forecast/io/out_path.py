"""Refuse an output directory (``--out``) that cannot work, before any expensive work is done.

:func:`check_out_path` checks the path, what it holds and where it lives (a symbolic link, a
mount point, a foreign file in it, a parent that is a file, a kernel file system, a read-only
or unwritable parent); :func:`lock_path` names the lock file beside it, which
:class:`forecast.io.staging.RunLock` holds while a run writes it. Every refusal is
:func:`out_error`: an :class:`~forecast.errors.InputError` with field ``--out``, on one line.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from forecast.errors import InputError
from forecast.io.safe_read import file_kind
from forecast.io.safe_write import os_reason

_PSEUDO_FS = ("/proc", "/sys")


def out_error(out: Path, message: str) -> InputError:
    """The refusal of output directory ``out``: an :class:`InputError` with field ``--out``."""
    return InputError(out, "--out", message)


def lock_path(out: str | Path) -> Path:
    """The lock file of output directory ``out``: ``<out>.lock``, beside it."""
    out = Path(out)
    return out.with_name(out.name + ".lock")


def check_out_path(out: str | Path, names: Iterable[str] = ()) -> None:
    """Refuse an output directory that cannot work, before any expensive work is done.

    Parameters
    ----------
    out
        The ``--out`` directory; it may exist (it will be replaced) or not (it will be
        created, with its missing parents).
    names
        The file names the run writes into ``out`` (``forecast.json``, ...). If ``out`` exists,
        an entry with one of these names must be a regular file, and it must hold nothing
        else: the whole directory is replaced, so a foreign file in it would be deleted.

    Raises
    ------
    InputError
        With field ``--out``, on one line, if ``out`` is a symbolic link (dangling or not) or
        exists and is not a directory, is a mount point, holds a directory or link under one of
        ``names`` or a file not in ``names``; if a parent is a file (``file/sub``); if its
        lock file ``<out>.lock`` is not a regular file; if the nearest existing ancestor is
        under ``/proc`` or ``/sys``, or a file cannot be created in it (read-only mount, no
        permission).
    """
    out = Path(out)
    names = tuple(names)
    if out.name in ("", ".", ".."):
        raise out_error(out, "expected a path ending in a directory name (not '.' or '..')")
    try:
        st: os.stat_result | None = os.lstat(out)
    except (FileNotFoundError, NotADirectoryError):  # a parent that is a file is found below
        st = None
    except OSError as exc:
        raise out_error(out, f"cannot inspect it ({os_reason(exc)})") from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise out_error(out, "is a symbolic link; expected a directory or a new path")
        if not stat.S_ISDIR(st.st_mode):
            raise out_error(out, f"expected a directory, found {file_kind(st.st_mode)}")
        if os.stat(out.parent).st_dev != st.st_dev:
            raise out_error(out, "is a mount point; expected a directory that can be replaced")
        if names:
            _check_entries(out, names)
    lock = lock_path(out)
    with contextlib.suppress(OSError):
        mode = os.lstat(lock).st_mode
        if not stat.S_ISREG(mode):
            raise out_error(out, f"its lock file {lock} is {file_kind(mode)}; expected a file")
    ancestor = out.parent
    while True:
        try:
            ast = os.stat(ancestor)
            break
        except (FileNotFoundError, NotADirectoryError):
            if ancestor == ancestor.parent:
                raise out_error(out, "no parent directory exists") from None
            ancestor = ancestor.parent
        except OSError as exc:
            raise out_error(out, f"cannot inspect {ancestor} ({os_reason(exc)})") from None
    if not stat.S_ISDIR(ast.st_mode):
        raise out_error(out, f"{ancestor} is {file_kind(ast.st_mode)}, not a directory")
    real = os.path.realpath(ancestor)
    for top in _PSEUDO_FS:
        if real == top or real.startswith(top + "/"):
            raise out_error(
                out, f"{ancestor} is on the kernel's {top} file system; expected a disk"
            )
    try:
        fd, probe = tempfile.mkstemp(prefix=".forecast-probe-", dir=ancestor)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise out_error(out, f"cannot write in {ancestor} ({os_reason(exc)})") from None


def _check_entries(out: Path, names: tuple[str, ...]) -> None:
    try:
        entries = sorted(os.listdir(out))
    except OSError as exc:
        raise out_error(out, f"cannot list it ({os_reason(exc)})") from None
    foreign = [e for e in entries if e not in names]
    if foreign:
        raise out_error(
            out,
            f"holds {foreign[0]!r}, which a run does not write; the directory is replaced as a "
            "whole, so expected an empty directory or a previous run",
        )
    for name in entries:
        mode = os.lstat(out / name).st_mode
        if not stat.S_ISREG(mode):
            raise out_error(out, f"holds {name!r}, which is {file_kind(mode)}; expected a file")
