"""An all-or-nothing run directory: build it beside the target, then swap it into place.

Guarantee
---------
After any interruption (an exception, Ctrl-C, ``SystemExit``, a full disk, ``SIGKILL``, a power
cut after the swap was made durable) the target directory is either the complete old run or the
complete new one, never a mix and never a half-written file. The one window where the target
path is briefly missing is between the two renames of the swap; a process killed exactly there
leaves ``.<name>.previous-*`` beside it, and :func:`sweep_leftovers` (which :class:`StagedDir`
runs on entry) renames it back.

How
---
- :func:`~forecast.io.out_path.check_out_path` refuses an ``--out`` that cannot work before
  any expensive work.
- :class:`RunLock` makes a second run on the same ``--out`` fail at once (:class:`RunBusy`)
  instead of racing the first. Its lock file ``<out>.lock`` stays on disk after the run; that
  is deliberate (deleting a lock file that another process may have just opened would let two
  runs hold "the" lock at once) and harmless.
- :class:`StagedDir` creates ``<parent>/.<name>.staging-<pid>-<token>`` (mode 0700, so no one
  else can plant a file or link in it while it is written), the caller writes the files and
  calls :meth:`StagedDir.commit`, and on a clean exit every file and directory is fsynced and
  the directory is renamed into place: target -> ``.<name>.previous-<pid>-<token>``, staging ->
  target, then the previous run is renamed to ``.<name>.discard-<pid>-<token>`` and deleted.
  If the second rename fails the previous run is renamed back. On an exception, or without
  :meth:`~StagedDir.commit`, the staging directory is deleted and the target is not touched.
- The owner's pid is part of each leftover's name (not a file inside the staging directory,
  which would end up in the run directory once it is renamed into place), so
  :func:`sweep_leftovers` removes only what a process that no longer exists left behind.
- :func:`~forecast.io.safe_write.write_bytes` and :func:`~forecast.io.safe_write.write_text`
  create files with ``O_CREAT | O_EXCL | O_NOFOLLOW``: they never follow a link and never
  overwrite. An ``OSError`` while writing (ENOSPC, EACCES, EROFS, ...) becomes
  :class:`~forecast.io.safe_write.WriteFailed`, one line naming the path in the target
  directory (exit status 1, not 2: it is not the user's input that is wrong).

``check_out_path``, ``lock_path``, ``WriteFailed``, ``write_bytes`` and ``write_text`` are
importable from here as well.

Linux (POSIX) only: ``fcntl.flock``, ``/proc/self/status`` for the umask.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import re
import secrets
import shutil
import signal
import stat
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from forecast.errors import InputError
from forecast.io import stop
from forecast.io.out_path import check_out_path as check_out_path
from forecast.io.out_path import lock_path, out_error
from forecast.io.safe_read import file_kind
from forecast.io.safe_write import WriteFailed, os_reason, write_bytes, write_text

_KINDS = ("staging", "previous", "discard")


class RunBusy(InputError):
    """Another process holds the lock of the same output directory."""

    def __init__(self, out: str | Path) -> None:
        super().__init__(
            out, "--out", f"another run is writing {out}; try again when it has finished"
        )

    def __str__(self) -> str:
        return self.message


def _umask() -> int:
    """The process umask, read without changing it (``os.umask`` would, for all threads)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def _leftover_name(target: Path, kind: str, token: str) -> str:
    return f".{target.name}.{kind}-{os.getpid()}-{token}"


def _alive(pid: int) -> bool:
    """Whether process ``pid`` may still be running (an unknown answer counts as yes)."""
    if pid <= 0:
        return True
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, under another user
        return True
    try:  # a killed process not yet reaped by its parent is a zombie: gone for our purposes
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _fsync_dir(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    """fsync every regular file and directory under ``root`` (links are not followed)."""
    for dirpath, _dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            path = os.path.join(dirpath, name)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                continue
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        _fsync_dir(dirpath)


@contextlib.contextmanager
def _signals_deferred():
    """Hold SIGINT and SIGTERM back while the swap's renames run (delivered right after), so an
    interrupt cannot fall between them; a no-op where signal masks are not available."""
    sigs = {signal.SIGINT, signal.SIGTERM}
    try:
        old = signal.pthread_sigmask(signal.SIG_BLOCK, sigs)
    except (AttributeError, OSError, ValueError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def sweep_leftovers(out: str | Path) -> list[Path]:
    """Clean up what a killed run on ``out`` left beside it.

    Only leftovers whose owning process no longer exists are touched
    (``.<name>.staging-<pid>-*``, ``.<name>.previous-<pid>-*``, ``.<name>.discard-<pid>-*``).
    If the target is missing and a ``.previous-*`` remains, the process was killed between the
    two renames of the swap: the previous run is renamed back to the target instead of being
    deleted. Everything else is deleted.

    Parameters
    ----------
    out
        The output directory.

    Returns
    -------
    list of Path
        The leftovers removed, and the target if it was restored.
    """
    out = Path(out)
    parent = out.parent
    pattern = re.compile(rf"\.{re.escape(out.name)}\.({'|'.join(_KINDS)})-(\d+)-[0-9a-f]+")
    try:
        entries = os.listdir(parent)
    except OSError:
        return []
    dead: list[tuple[str, Path, os.stat_result]] = []
    for entry in entries:
        match = pattern.fullmatch(entry)
        if not match or _alive(int(match[2])):
            continue
        with contextlib.suppress(OSError):
            st = os.lstat(parent / entry)
            if stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid():
                dead.append((match[1], parent / entry, st))
    done: list[Path] = []
    previous = sorted((st.st_ctime, path) for kind, path, st in dead if kind == "previous")
    if previous and not os.path.lexists(out):
        with contextlib.suppress(OSError):
            os.rename(previous[-1][1], out)
            done.append(out)
    for _kind, path, _st in dead:
        if path.exists():
            with contextlib.suppress(OSError):
                shutil.rmtree(path)
                done.append(path)
    return done


class RunLock:
    """An exclusive, non-blocking lock on an output directory, held as a context manager.

    The lock is ``fcntl.flock`` on ``<out>.lock`` (created with ``O_NOFOLLOW``, left on disk
    afterwards). The kernel releases it when the process ends, however it ends.

    Raises
    ------
    RunBusy
        On entry, if another process (or another ``RunLock`` in this one) holds it.
    InputError
        On entry, if the lock file is a symbolic link or not a regular file.
    WriteFailed
        On entry, if the lock file or the parent directory cannot be created.
    """

    def __init__(self, out: str | Path) -> None:
        self.out = Path(out)
        self.path = lock_path(self.out)
        self._fd: int | None = None

    def __enter__(self) -> RunLock:
        stop.note_target(self.out)
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(self.out.parent, os_reason(exc)) from exc
        flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags, 0o666)
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise out_error(self.out, f"its lock file {self.path} is a symbolic link") from None
            raise WriteFailed(self.path, os_reason(exc)) from exc
        try:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise out_error(self.out, f"its lock file {self.path} is {file_kind(mode)}")
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise RunBusy(self.out) from None
        except OSError as exc:
            os.close(fd)
            raise WriteFailed(self.path, os_reason(exc)) from exc
        except BaseException:
            os.close(fd)
            raise
        with contextlib.suppress(OSError):  # for people looking at the file; never read back
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # releases the lock


class StagedDir:
    """Write a run directory beside ``out`` and swap it into place only when it is complete.

    Use::

        with RunLock(out), StagedDir(out, names=FILES) as staged:
            staged.write_bytes("forecast.json", document_bytes)
            idata.to_netcdf(staged.file("posterior.nc"), engine="h5netcdf")
            staged.commit()

    Parameters
    ----------
    out
        The target directory. Missing parents are created on entry.
    names
        If given, the names a run writes: an existing target holding anything else is not
        replaced (:class:`WriteFailed`), so a wrong ``--out`` cannot delete unrelated files.
    sweep
        Run :func:`sweep_leftovers` on entry (the default).

    Raises
    ------
    WriteFailed
        If the staging directory cannot be created, an ``OSError`` escapes the ``with`` block
        (it names the file in the target, not in the staging directory), or the swap fails. The
        staging directory is deleted first and the target is left as it was.
    """

    def __init__(
        self, out: str | Path, *, names: Iterable[str] | None = None, sweep: bool = True
    ) -> None:
        self.target = Path(out)
        self.names = None if names is None else frozenset(names)
        self._sweep = sweep
        self._token = secrets.token_hex(8)
        self._path: Path | None = None
        self._committed = False
        self._published = False

    @property
    def path(self) -> Path:
        """The staging directory (only inside the ``with`` block)."""
        if self._path is None or self._published:
            raise RuntimeError("StagedDir.path is only available inside the with block")
        return self._path

    def file(self, name: str) -> Path:
        """The path of file ``name`` in the staging directory (a plain name: no '/', no '..')."""
        if name in ("", ".", "..") or "/" in name or "\0" in name:
            raise ValueError(f"expected a plain file name, got {name!r}")
        return self.path / name

    def write_bytes(self, name: str, data: bytes) -> Path:
        """:func:`write_bytes` of ``data`` to :meth:`file` ``(name)``; returns that path."""
        return write_bytes(self.file(name), data)

    def write_text(self, name: str, text: str) -> Path:
        """:func:`write_text` of ``text`` to :meth:`file` ``(name)``; returns that path."""
        return write_text(self.file(name), text)

    def commit(self) -> None:
        """Mark the run complete: the clean exit of the ``with`` block then swaps it in."""
        self._committed = True

    def __enter__(self) -> StagedDir:
        stop.note_target(self.target)
        parent = self.target.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WriteFailed(parent, os_reason(exc)) from exc
        if self._sweep:
            sweep_leftovers(self.target)
        path = parent / _leftover_name(self.target, "staging", self._token)
        try:
            os.mkdir(path, 0o700)
        except OSError as exc:
            raise WriteFailed(self.target, os_reason(exc)) from exc
        self._path = path
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None and self._committed:
            try:
                with _signals_deferred():
                    stop.raise_if_requested()
                    self._publish()
            except OSError as err:
                self._discard()
                raise WriteFailed(self._public(err.filename), os_reason(err)) from err
            except BaseException:
                self._discard()
                raise
            return
        self._discard()
        if isinstance(exc, WriteFailed):
            raise WriteFailed(self._public(exc.path), exc.reason) from exc.__cause__
        if isinstance(exc, OSError):
            raise WriteFailed(self._public(exc.filename), os_reason(exc)) from exc

    def _public(self, filename: str | bytes | os.PathLike[str] | None) -> Path:
        """Where a path inside the staging directory will be once published."""
        if filename is None or self._path is None:
            return self.target
        path = Path(os.fsdecode(filename))
        for staging in (self._path, self._path.absolute()):
            with contextlib.suppress(ValueError):
                return self.target / path.relative_to(staging)
        return path

    def _discard(self) -> None:
        if self._path is not None and not self._published:
            shutil.rmtree(self._path, ignore_errors=True)

    def _publish(self) -> None:
        staging = self.path
        parent = self.target.parent
        previous = None
        try:
            st: os.stat_result | None = os.lstat(self.target)
        except FileNotFoundError:
            st = None
        if st is not None and not stat.S_ISDIR(st.st_mode):
            raise WriteFailed(self.target, f"it is {file_kind(st.st_mode)}, not a directory")
        if st is not None and self.names is not None:
            foreign = sorted(set(os.listdir(self.target)) - self.names)
            if foreign:
                raise WriteFailed(
                    self.target, f"it holds {foreign[0]!r}, which a run does not write"
                )
        # the permissions of the run it replaces, else those of a plain mkdir
        os.chmod(staging, stat.S_IMODE(st.st_mode) if st else 0o777 & ~_umask())
        _fsync_tree(staging)
        if st is not None:
            previous = parent / _leftover_name(self.target, "previous", self._token)
            os.rename(self.target, previous)
        try:
            os.rename(staging, self.target)
        except BaseException as exc:
            if previous is not None:
                try:
                    os.rename(previous, self.target)
                except OSError:
                    reason = os_reason(exc) if isinstance(exc, OSError) else type(exc).__name__
                    raise WriteFailed(
                        self.target, f"{reason}; the previous run is kept in {previous}"
                    ) from exc
            raise
        self._published = True
        stop.note_published(self.target)
        with contextlib.suppress(OSError):
            _fsync_dir(parent)
        if previous is not None:
            discard = parent / _leftover_name(self.target, "discard", self._token)
            with contextlib.suppress(OSError):  # a leftover is swept by the next run
                os.rename(previous, discard)
                shutil.rmtree(discard)
