"""Create a file once, safely: never follow a link, never overwrite, never leave half a file.

:func:`write_bytes` and :func:`write_text` create files with ``O_CREAT | O_EXCL |
O_NOFOLLOW``: they never follow a link and never overwrite. An ``OSError`` while writing
(ENOSPC, EACCES, EROFS, ...) becomes :class:`WriteFailed`, one line naming the path (exit
status 1, not 2: it is not the user's input that is wrong), and a partly written file is
removed. :func:`os_reason` words an ``OSError`` on one line for these messages. The run
directory these files are written into is :class:`forecast.io.staging.StagedDir`.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from forecast.io import stop


class WriteFailed(Exception):
    """Writing the run directory failed (disk full, permission, read-only, ...): exit status 1."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = Path(path)
        self.reason = " ".join(reason.split()) or "unknown error"
        super().__init__(f"cannot write {self.path}: {self.reason}")


def os_reason(exc: OSError) -> str:
    """The one-line reason of an OSError: its strerror, else the text of its errno."""
    if exc.strerror:
        return exc.strerror
    if exc.args and isinstance(exc.args[0], int):
        return os.strerror(exc.args[0])
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Create ``path`` and write ``data`` to it; never follow a link, never overwrite.

    Parameters
    ----------
    path
        A new file, normally ``StagedDir.file(name)``.
    data
        The content.

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    WriteFailed
        If ``path`` exists already (a file or a link, which is not followed), or on any
        ``OSError`` (ENOSPC, EACCES, EROFS, ...); a partly written file is removed.
    """
    path = Path(path)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        fd = os.open(path, flags, 0o666)
    except FileExistsError:
        raise WriteFailed(
            path, "already exists (it is not overwritten, nor a link followed)"
        ) from None
    except OSError as exc:
        raise WriteFailed(path, os_reason(exc)) from exc
    done = False
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        fd, closing = -1, fd
        os.close(closing)  # NFS may report a full disk only here
        done = True
    except OSError as exc:
        raise WriteFailed(path, os_reason(exc)) from exc
    finally:
        if fd >= 0:
            os.close(fd)
        if not done:
            with contextlib.suppress(OSError):
                os.unlink(path)
    return path


def write_text(path: str | Path, text: str) -> Path:
    """:func:`write_bytes` of ``text`` encoded as UTF-8, line endings as given."""
    return write_bytes(path, text.encode("utf-8"))


def replace_file(path: str | Path, data: bytes) -> Path:
    """Replace the single file ``path`` with ``data`` atomically (a re-rendered report).

    ``data`` is written to a new file beside ``path`` (created with :func:`write_bytes`: no link
    followed) and renamed over it, so ``path`` is the old content or the new one, never half
    of either; a symbolic link at ``path`` is replaced, not followed. Missing parent
    directories are created.

    Raises
    ------
    WriteFailed
        If ``path`` is a directory, or on any ``OSError``; the temporary file is removed.
    """
    path = Path(path)
    if path.is_dir() and not path.is_symlink():
        raise WriteFailed(path, "it is a directory; expected a file path")
    stop.note_target(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WriteFailed(path.parent, os_reason(exc)) from exc
    tmp = path.with_name(f".{path.name}.{os.getpid()}-{os.urandom(4).hex()}.tmp")
    try:
        write_bytes(tmp, data)
    except WriteFailed as exc:  # named by the file the user asked for, not the temporary one
        raise WriteFailed(path, exc.reason) from exc.__cause__
    try:
        stop.raise_if_requested()
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            raise WriteFailed(path, os_reason(exc)) from exc
        raise
    stop.note_published(path)
    return path
