"""Safe reading of inputs, the all-or-nothing run directory, and text sanitising."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest

from forecast.errors import InputError
from forecast.io.safe_read import MIB, decode_text, read_input, sha256_bytes
from forecast.io.sanitize import csv_cell, no_zero_width, terminal_safe
from forecast.io.staging import (
    RunBusy,
    RunLock,
    StagedDir,
    WriteFailed,
    check_out_path,
    lock_path,
    sweep_leftovers,
    write_bytes,
)

ROOT = Path(__file__).resolve().parents[2]
FILES = ("forecast.json", "posterior.nc", "scenario.yaml", "report.pdf")
IS_ROOT = os.geteuid() == 0


def current_umask() -> int:
    """The process umask (set back at once: this test process runs no other thread meanwhile)."""
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def one_line(exc: BaseException) -> str:
    text = str(exc)
    assert "\n" not in text and "\r" not in text
    return text


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` with its bytes (links are listed as such, not followed)."""
    out = {}
    for path in sorted(root.rglob("*")):
        rel = str(path.relative_to(root))
        if path.is_symlink():
            out[rel] = b"-> " + os.readlink(path).encode()
        elif path.is_file():
            out[rel] = path.read_bytes()
        else:
            out[rel + "/"] = b""
    return out


def siblings(out: Path) -> list[str]:
    """What is beside ``out`` apart from it and its lock file: leftovers, if any."""
    return sorted(
        p.name for p in out.parent.iterdir() if p.name not in (out.name, out.name + ".lock")
    )


def run_python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


# --- read_input -------------------------------------------------------------------------------


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.yaml"
    os.mkfifo(fifo)
    result: list[BaseException | bytes] = []

    def target() -> None:
        try:
            result.append(read_input(fifo))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            result.append(exc)

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(timeout=2)
    assert not thread.is_alive(), "read_input blocked on a FIFO"
    assert isinstance(result[0], InputError)
    assert "named pipe" in one_line(result[0])
    assert str(fifo) in str(result[0])


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null"])
def test_character_device_is_refused(device: str) -> None:
    with pytest.raises(InputError, match="character device"):
        read_input(device)


def test_stdin_as_pipe_or_tty_is_refused() -> None:
    r, w = os.pipe()
    try:
        with pytest.raises(InputError, match="named pipe"):
            read_input(f"/proc/self/fd/{r}")
    finally:
        os.close(r)
        os.close(w)
    try:
        primary, secondary = os.openpty()
    except OSError:
        pytest.skip("no pseudo-terminals here")
    try:
        with pytest.raises(InputError, match="character device"):
            read_input(os.ttyname(secondary))
    finally:
        os.close(primary)
        os.close(secondary)


def test_directory_socket_and_missing_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="got a directory"):
        read_input(tmp_path)
    with pytest.raises(InputError, match="not found"):
        read_input(tmp_path / "absent.yaml")
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError, match="not found"):
        read_input(tmp_path / "file" / "sub.yaml")
    sock_path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(sock_path))
        with pytest.raises(InputError, match="socket") as info:
            read_input(sock_path)
    one_line(info.value)


@pytest.mark.skipif(IS_ROOT, reason="root can read any file")
def test_unreadable_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("x")
    path.chmod(0)
    with pytest.raises(InputError, match="permission denied"):
        read_input(path)


def test_oversize_is_refused_before_reading(tmp_path: Path, monkeypatch) -> None:
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(50 * MIB)  # sparse: no disk used

    def no_read(fd: int, n: int) -> bytes:
        raise AssertionError("read before the size check")

    monkeypatch.setattr(os, "read", no_read)
    with pytest.raises(InputError) as info:
        read_input(big)
    assert "expected at most 1 MiB, got 50.0 MiB" in one_line(info.value)
    assert info.value.file == str(big)


def test_size_limit_is_inclusive_and_reads_at_most_limit_plus_one(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "s.yaml"
    path.write_bytes(b"x" * 100)
    assert read_input(path, limit=100) == b"x" * 100
    with pytest.raises(InputError, match="at most 99 bytes"):
        read_input(path, limit=99)

    # a file that grows after fstat: pretend it was 5 bytes when checked
    real_fstat, real_read = os.fstat, os.read
    read = []

    def small_fstat(fd: int) -> os.stat_result:
        fields = list(real_fstat(fd))[:10]
        fields[6] = 5
        return os.stat_result(fields)

    def counting_read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        read.append(len(chunk))
        return chunk

    monkeypatch.setattr(os, "fstat", small_fstat)
    monkeypatch.setattr(os, "read", counting_read)
    with pytest.raises(InputError, match="grew while read"):
        read_input(path, limit=50)
    assert sum(read) == 51


def test_crlf_bytes_are_returned_unchanged_and_hash_matches(tmp_path: Path) -> None:
    raw = b"name: june\r\nseed: 1\r\n# caf\xc3\xa9\r\n"
    path = tmp_path / "s.yaml"
    path.write_bytes(raw)
    data = read_input(path)
    assert data == raw
    assert sha256_bytes(data) == hashlib.sha256(raw).hexdigest()
    assert decode_text(data, path) == "name: june\r\nseed: 1\r\n# café\r\n"


def test_invalid_utf8_is_a_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        decode_text(b"name: june\nlabel: \xff\xfe\n", tmp_path / "s.yaml")
    text = one_line(info.value)
    assert "line 2" in text and "UTF-8" in text and "0xff" in text


# --- check_out_path ---------------------------------------------------------------------------


def test_out_under_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError) as info:
        check_out_path(tmp_path / "file" / "sub" / "deeper")
    assert info.value.field == "--out"
    assert f"{tmp_path / 'file'} is a regular file, not a directory" in one_line(info.value)
    with pytest.raises(InputError, match="expected a directory, found a regular file"):
        check_out_path(tmp_path / "file")


def test_out_symlinks_are_refused(tmp_path: Path) -> None:
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    for name in ("dangling", "link"):
        with pytest.raises(InputError, match="symbolic link") as info:
            check_out_path(tmp_path / name)
        assert info.value.field == "--out"


@pytest.mark.parametrize("out", ["/proc/x", "/proc/self/x", "/sys/x"])
def test_out_on_kernel_file_systems_is_refused(out: str) -> None:
    with pytest.raises(InputError, match="--out") as info:
        check_out_path(Path(out))
    one_line(info.value)


def test_out_on_read_only_mount_is_refused(tmp_path: Path, monkeypatch) -> None:
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)  # the module staging writes with
    with pytest.raises(InputError, match="Read-only file system"):
        check_out_path(tmp_path / "new" / "run")


@pytest.mark.skipif(IS_ROOT, reason="root can write anywhere")
def test_out_in_unwritable_parent_is_refused(tmp_path: Path) -> None:
    parent = tmp_path / "ro"
    parent.mkdir(mode=0o555)
    with pytest.raises(InputError, match="cannot write in"):
        check_out_path(parent / "run")


def test_out_entries_must_be_files_and_ours(old_run: Path) -> None:
    check_out_path(old_run, FILES)  # a previous run: fine
    check_out_path(old_run.parent / "new" / "deep", FILES)  # missing parents: fine
    (old_run / "posterior.nc").mkdir()
    with pytest.raises(InputError, match="'posterior.nc', which is a directory"):
        check_out_path(old_run, FILES)
    (old_run / "posterior.nc").rmdir()
    (old_run / "report.pdf").symlink_to("/etc/passwd")
    with pytest.raises(InputError, match="'report.pdf', which is a symbolic link"):
        check_out_path(old_run, FILES)
    (old_run / "report.pdf").unlink()
    (old_run / "notes.txt").write_text("mine")
    with pytest.raises(InputError, match="'notes.txt', which a run does not write"):
        check_out_path(old_run, FILES)


def test_out_named_dot_and_bad_lock_file_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="directory name"):
        check_out_path(tmp_path / "..")
    lock_path(tmp_path / "run").mkdir()
    with pytest.raises(InputError, match="lock file"):
        check_out_path(tmp_path / "run")


# --- StagedDir --------------------------------------------------------------------------------


def test_new_run_appears_complete_with_normal_permissions(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "run"
    with StagedDir(out, names=FILES) as staged:
        assert staged.path.parent == out.parent
        assert stat.S_IMODE(staged.path.stat().st_mode) == 0o700
        assert not out.exists()
        staged.write_bytes("forecast.json", b"{}\n")
        staged.file("posterior.nc").write_bytes(b"nc")  # a third-party writer, by path
        staged.commit()
    assert snapshot(out) == {"forecast.json": b"{}\n", "posterior.nc": b"nc"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~current_umask()
    assert siblings(out) == []


def test_commit_replaces_the_old_run(old_run: Path) -> None:
    old_run.chmod(0o750)
    with StagedDir(old_run, names=FILES) as staged:
        staged.write_text("forecast.json", '{"new": true}\n')
        staged.commit()
    assert snapshot(old_run) == {"forecast.json": b'{"new": true}\n'}
    assert stat.S_IMODE(old_run.stat().st_mode) == 0o750
    assert siblings(old_run) == []


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt, SystemExit])
@pytest.mark.parametrize("committed", [False, True])
def test_interruption_keeps_the_old_run_byte_identical(
    old_run: Path, error: type[BaseException], committed: bool
) -> None:
    before = snapshot(old_run)
    with pytest.raises(error), StagedDir(old_run) as staged:
        staged.write_bytes("forecast.json", b"half")
        if committed:
            staged.commit()
        raise error()
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_no_commit_discards(old_run: Path, tmp_path: Path) -> None:
    before = snapshot(old_run)
    with StagedDir(old_run) as staged:
        staged.write_bytes("forecast.json", b"new")
    assert snapshot(old_run) == before
    assert siblings(old_run) == []
    with StagedDir(tmp_path / "fresh") as staged:
        staged.write_bytes("forecast.json", b"new")
    assert not (tmp_path / "fresh").exists()


def test_planted_symlink_is_not_followed(old_run: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_bytes(b"precious")
    before = snapshot(old_run)
    with pytest.raises(WriteFailed) as info, StagedDir(old_run) as staged:
        staged.file("forecast.json").symlink_to(victim)
        staged.write_bytes("forecast.json", b"evil")
        staged.commit()
    assert victim.read_bytes() == b"precious"
    assert str(old_run / "forecast.json") in one_line(info.value)  # named in the target
    assert "already exists" in str(info.value)
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_file_names_must_be_plain(tmp_path: Path) -> None:
    with StagedDir(tmp_path / "run") as staged:
        for bad in ("../escape", "a/b", "..", ".", "", "/etc/passwd"):
            with pytest.raises(ValueError):
                staged.file(bad)
        assert staged.file("..hidden").parent == staged.path


def test_failed_final_rename_restores_the_previous(old_run: Path, monkeypatch) -> None:
    before = snapshot(old_run)
    real_rename = os.rename

    def rename(src, dst, *args, **kwargs):
        if ".staging-" in os.fspath(src):
            raise OSError(errno.EIO, os.strerror(errno.EIO), os.fspath(src))
        return real_rename(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "rename", rename)
    monkeypatch.setattr(os, "replace", rename)
    with pytest.raises(WriteFailed) as info, StagedDir(old_run) as staged:
        staged.write_bytes("forecast.json", b"new")
        staged.commit()
    assert f"cannot write {old_run}: Input/output error" == one_line(info.value)
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_fsync_failure_keeps_the_old_run(old_run: Path, monkeypatch) -> None:
    before = snapshot(old_run)

    def fsync(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(WriteFailed, match="Input/output error"), StagedDir(old_run) as staged:
        staged.write_bytes("forecast.json", b"new")
        staged.commit()
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_foreign_files_in_the_target_are_never_deleted(old_run: Path) -> None:
    (old_run / "notes.txt").write_bytes(b"mine")
    before = snapshot(old_run)
    with pytest.raises(WriteFailed, match="notes.txt"), StagedDir(old_run, names=FILES) as st:
        st.write_bytes("forecast.json", b"new")
        st.commit()
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_disk_full_is_write_failed_naming_the_file(old_run: Path, monkeypatch) -> None:
    before = snapshot(old_run)

    def full(fd: int, data) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteFailed) as info, StagedDir(old_run) as staged:
        staged.write_bytes("forecast.json", b"new")
        staged.commit()
    assert not isinstance(info.value, InputError)  # exit status 1, not 2
    assert one_line(info.value) == (
        f"cannot write {old_run / 'forecast.json'}: No space left on device"
    )
    assert info.value.path == old_run / "forecast.json"
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_write_bytes_alone_removes_a_partial_file(tmp_path: Path, monkeypatch) -> None:
    def full(fd: int, data) -> int:
        raise OSError(errno.ENOSPC)  # errno only, no strerror: the message still says why

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteFailed, match="No space left on device"):
        write_bytes(tmp_path / "f", b"data")
    assert list(tmp_path.iterdir()) == []


def test_oserror_from_a_third_party_writer_names_the_target_file(old_run: Path) -> None:
    with pytest.raises(WriteFailed) as info, StagedDir(old_run) as staged:
        path = staged.file("posterior.nc")
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
    assert one_line(info.value) == f"cannot write {old_run / 'posterior.nc'}: Permission denied"
    assert siblings(old_run) == []


CHILD_STAGES = """
import sys, time
from forecast.io.staging import StagedDir
with StagedDir(sys.argv[1]) as staged:
    staged.write_bytes("forecast.json", b"half-written")
    print(staged.path, flush=True)
    time.sleep(30)
    staged.commit()
"""


def test_sigkill_mid_staging_leaves_the_target_and_is_swept(old_run: Path) -> None:
    before = snapshot(old_run)
    child = run_python(CHILD_STAGES, str(old_run))
    try:
        line = child.stdout.readline().strip()
        assert line, child.stderr.read()
        leftover = Path(line)
        assert leftover.is_dir()
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=5)
        child.stdout.close()
        child.stderr.close()
    assert snapshot(old_run) == before
    assert siblings(old_run) == [leftover.name]
    assert sweep_leftovers(old_run) == [leftover]
    assert siblings(old_run) == []
    assert snapshot(old_run) == before


def dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", ""])
    child.wait()
    return child.pid


def test_sweep_restores_after_a_crash_between_the_renames(old_run: Path) -> None:
    before = snapshot(old_run)
    pid = dead_pid()
    parent = old_run.parent
    staged = parent / f".june.staging-{pid}-0123abcd"
    staged.mkdir()
    (staged / "forecast.json").write_bytes(b"new")
    previous = parent / f".june.previous-{pid}-0123abcd"
    old_run.rename(previous)  # killed here: the target is missing
    swept = sweep_leftovers(old_run)
    assert old_run in swept and staged in swept
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_sweep_after_a_crash_after_the_swap_keeps_the_new_run(old_run: Path) -> None:
    pid = dead_pid()
    previous = old_run.parent / f".june.previous-{pid}-0123abcd"
    previous.mkdir()
    (previous / "forecast.json").write_bytes(b"old")
    discard = old_run.parent / f".june.discard-{pid}-0123abcd"
    discard.mkdir()
    before = snapshot(old_run)
    sweep_leftovers(old_run)
    assert snapshot(old_run) == before
    assert siblings(old_run) == []


def test_sweep_leaves_live_and_foreign_entries_alone(old_run: Path) -> None:
    parent = old_run.parent
    live = parent / f".june.staging-{os.getppid()}-0123abcd"  # our parent is alive
    live.mkdir()
    unrelated = parent / ".july.staging-1-0123abcd"
    unrelated.mkdir()
    with StagedDir(old_run) as staged:  # this process's own staging directory
        assert sweep_leftovers(old_run) == []
        assert staged.path.is_dir()
    assert live.is_dir() and unrelated.is_dir()


# --- RunLock ----------------------------------------------------------------------------------


CHILD_LOCKS = """
import sys
from forecast.io.staging import RunBusy, RunLock
try:
    with RunLock(sys.argv[1]):
        print("locked")
except RunBusy as exc:
    print(exc)
    sys.exit(3)
"""


def test_second_run_is_refused_while_the_first_holds_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "runs" / "june"
    with RunLock(out) as lock:
        assert lock.path == tmp_path / "runs" / "june.lock"
        child = run_python(CHILD_LOCKS, str(out))
        stdout, stderr = child.communicate(timeout=10)
        assert child.returncode == 3, stderr
        assert stdout.strip() == f"another run is writing {out}; try again when it has finished"
        with pytest.raises(RunBusy) as info, RunLock(out):  # also within one process
            pass
        assert isinstance(info.value, InputError)
        assert one_line(info.value) == stdout.strip()
    child = run_python(CHILD_LOCKS, str(out))
    stdout, stderr = child.communicate(timeout=10)
    assert (child.returncode, stdout.strip()) == (0, "locked"), stderr


def test_lock_file_symlink_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    target.write_bytes(b"keep")
    lock_path(tmp_path / "run").symlink_to(target)
    with pytest.raises(InputError, match="symbolic link"), RunLock(tmp_path / "run"):
        pass
    assert target.read_bytes() == b"keep"


# --- sanitize ---------------------------------------------------------------------------------


def test_terminal_safe_escapes_controls_and_drops_bidi() -> None:
    assert terminal_safe("a\x1b[31mred\x1b[0m") == "a\\x1b[31mred\\x1b[0m"
    assert terminal_safe("ok\rEVIL\x07\x9b2J\x7f\x00") == "ok\\x0dEVIL\\x07\\x9b2J\\x7f\\x00"
    assert terminal_safe("line 1\n\tline 2") == "line 1\n\tline 2"
    assert terminal_safe("admin\u202e\u2066txt.exe\u2069\u202c") == "admintxt.exe"
    assert terminal_safe("Владивосток — 평양") == "Владивосток — 평양"


def test_no_zero_width() -> None:
    assert no_zero_width("Mos\u200bcow\u200c\u200d\u2060\ufeff") == "Moscow"
    assert no_zero_width("plain") == "plain"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-", "'-"),
        (" -1", " -1"),
        ("-0.25", "-0.25"),
        ("+3", "+3"),
        ("1e-3", "1e-3"),
        ("-1e-3", "-1e-3"),
        ("Vladivostok", "Vladivostok"),
        (-0.25, "-0.25"),
        (-3, "-3"),
        (None, ""),
        (True, "True"),
    ],
)
def test_csv_cell(value: object, expected: str) -> None:
    assert csv_cell(value) == expected


def test_a_stop_whose_keyboard_interrupt_was_lost_still_publishes_nothing(tmp_path, fresh_stop):
    """A signal handler's KeyboardInterrupt can vanish (raised inside a finaliser); the
    recorded request still keeps the staged run from replacing the previous one."""
    from forecast.io.staging import StagedDir

    out = tmp_path / "run"
    out.mkdir()
    (out / "forecast.json").write_text("old")
    fresh_stop.request(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt), StagedDir(out, names=["forecast.json"]) as staged:
        staged.write_text("forecast.json", "new")
        staged.commit()
    assert (out / "forecast.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_after_a_stop_the_outcome_says_what_each_output_holds(tmp_path, fresh_stop):
    """Published in full, the previous one untouched, or nothing: one line for all of them."""
    stop = fresh_stop
    assert stop.outcome() == "nothing was written"
    done, kept, new = tmp_path / "done", tmp_path / "kept", tmp_path / "new"
    kept.mkdir()
    with StagedDir(done) as staged:
        staged.write_text("forecast.json", "new")
        staged.commit()
    for out in (kept, new):
        with pytest.raises(KeyboardInterrupt), StagedDir(out) as staged:
            staged.write_text("forecast.json", "new")
            raise KeyboardInterrupt
    assert stop.outcome() == (
        f"{done} was written in full before the stop; "
        f"nothing new was written; {kept} is as it was; nothing was written to {new}"
    )
    assert not new.exists() and list(kept.iterdir()) == []


def test_the_lock_notes_its_output_before_anything_is_staged(tmp_path, fresh_stop):
    """Stopped while sampling (the lock held, nothing staged yet): the previous run is named."""
    out = tmp_path / "run"
    out.mkdir()
    with RunLock(out):
        pass
    with StagedDir(out):  # entered later, not committed: still the previous run
        pass
    assert fresh_stop.outcome() == f"nothing new was written; {out} is as it was"


def test_a_replaced_file_is_noted_and_a_lost_stop_keeps_the_old_one(tmp_path, fresh_stop):
    from forecast.io.safe_write import replace_file

    pdf = tmp_path / "report.pdf"
    replace_file(pdf, b"old")
    assert fresh_stop.outcome() == f"{pdf} was written in full before the stop"
    fresh_stop.clear()
    fresh_stop.request(signal.SIGINT)
    with pytest.raises(KeyboardInterrupt):
        replace_file(pdf, b"new")
    assert pdf.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.pdf"]
    assert fresh_stop.outcome() == f"nothing new was written; {pdf} is as it was"
