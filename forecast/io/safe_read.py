"""Read a user's input file once, safely: a regular file, of bounded size, as bytes.

:func:`read_input` opens the path once (non-blocking, so a named pipe cannot hang the command),
checks the type and size of what it opened (``fstat`` on the same descriptor, so nothing can be
swapped in between the check and the read) and returns the bytes. The caller hashes *those*
bytes with :func:`sha256_bytes` and parses them after :func:`decode_text`, so the hash, the
parsed scenario and the copy in the run directory all describe the same content.

Every refusal is an :class:`~forecast.errors.InputError` naming the path, on one line.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from pathlib import Path

from forecast.errors import InputError

MIB = 1 << 20
_CHUNK = 1 << 16


def _size(n: int, *, limit: bool = False) -> str:
    """A byte count for people: ``50.0 MiB``, ``12.5 KiB``, ``312 bytes``; a limit ``1 MiB``."""
    for unit, scale in (("MiB", MIB), ("KiB", 1 << 10)):
        if n >= scale:
            exact = limit and n % scale == 0
            return f"{n // scale} {unit}" if exact else f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def file_kind(mode: int) -> str:
    """What kind of file ``mode`` (an ``st_mode``) describes, in words: "a named pipe (FIFO)"."""
    if stat.S_ISREG(mode):
        return "a regular file"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "an unknown kind of file"


def _open_error(path: str | Path, what: str, exc: OSError) -> InputError:
    if exc.errno == errno.ENOENT:
        return InputError(path, None, f"{what} file not found")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(path, None, f"cannot read the {what} file (permission denied)")
    if exc.errno == errno.ENXIO:  # a socket, or a device with no driver behind it
        try:
            kind = file_kind(os.stat(path).st_mode)  # only to word the message
        except OSError:
            kind = "not a regular file"
        return InputError(path, None, f"expected a regular {what} file, got {kind}")
    if exc.errno == errno.ENOTDIR:
        return InputError(path, None, f"{what} file not found (a parent is not a directory)")
    return InputError(path, None, f"cannot open the {what} file ({exc.strerror or exc})")


def read_input(path: str | Path, *, limit: int = MIB, what: str = "scenario") -> bytes:
    """Read a user's input file exactly once and return its bytes.

    Parameters
    ----------
    path
        The file named by the user. Symbolic links are followed (the type check is made on
        what was opened).
    limit
        The largest accepted size in bytes (1 MiB by default). A larger file is refused before
        anything is read; at most ``limit + 1`` bytes are ever read, so a file that grows
        while it is read is refused too.
    what
        What the file is, for the messages ("scenario", "dataset", ...).

    Returns
    -------
    bytes
        The content, unchanged (no newline translation, no decoding).

    Raises
    ------
    InputError
        If the path is missing or unreadable, is not a regular file (a directory, a named
        pipe, a device such as ``/dev/zero`` or a terminal, a socket), or is over ``limit``.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise _open_error(path, what, exc) from None
    most = _size(limit, limit=True)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(
                path, None, f"expected a regular {what} file, got {file_kind(st.st_mode)}"
            )
        if st.st_size > limit:
            raise InputError(
                path,
                None,
                f"{what} file too large: expected at most {most}, got {_size(st.st_size)}",
            )
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise InputError(
                path,
                None,
                f"{what} file too large: expected at most {most} (it grew while read)",
            )
        return b"".join(chunks)
    except OSError as exc:
        raise InputError(
            path, None, f"cannot read the {what} file ({exc.strerror or exc})"
        ) from None
    finally:
        os.close(fd)


def decode_text(data: bytes, path: str | Path) -> str:
    """Decode an input file's bytes as UTF-8, keeping line endings (CRLF stays CRLF).

    A leading byte-order mark, if any, is kept as U+FEFF (YAML and JSON parsers accept it).

    Raises
    ------
    InputError
        If the bytes are not valid UTF-8; the message gives the line and byte offset.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            path,
            f"line {line}",
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "expected a UTF-8 text file",
        ) from None


def sha256_bytes(data: bytes) -> str:
    """The SHA-256 of ``data`` as 64 lowercase hex digits."""
    return hashlib.sha256(data).hexdigest()
