"""Ctrl-C and SIGTERM during a command: 130/143 with one line, "interrupted: " and what the
output now holds, nothing new written, the previous run intact, no sampler worker left running.

The fast tests check the signal handling in process; the slow ones start real runs and signal
them in each phase (starting up, sampling, forecasting and writing).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forecast.cli.interrupts import Interrupts

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("sig", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_becomes_keyboard_interrupt_and_is_remembered(sig, status):
    before = signal.getsignal(sig)
    with Interrupts() as stop, pytest.raises(KeyboardInterrupt):
        os.kill(os.getpid(), sig)
        time.sleep(1)  # the handler runs here
    assert stop.received == sig and stop.status == status
    assert signal.getsignal(sig) is before
    from forecast.io import stop as record

    assert record.requested() is None  # forgotten: later work in this process may publish


def test_an_interrupt_lost_in_a_callback_prints_no_traceback(monkeypatch):
    """A signal that lands while a weakref callback runs raises there, where Python would print
    "Exception ignored in ..." with a traceback; the stop is remembered and nothing is reported.
    Other unraisable errors still reach the hook that was in place."""
    import weakref

    reported: list[type] = []
    previous = lambda info: reported.append(info.exc_type)  # noqa: E731
    monkeypatch.setattr(sys, "unraisablehook", previous)

    class Thing:
        pass

    with Interrupts() as stop:
        thing = Thing()
        ref = weakref.ref(thing, lambda _: os.kill(os.getpid(), signal.SIGINT) or time.sleep(1))
        del thing  # the callback runs and the handler raises inside it
        assert stop.received == signal.SIGINT
        assert reported == []
        other = Thing()
        ref = weakref.ref(other, lambda _: 1 / 0)
        del other
        assert reported == [ZeroDivisionError]
        del ref
    assert sys.unraisablehook is previous


def test_main_reports_an_interrupt_in_one_line(tmp_path, capsys, monkeypatch, june_path):
    """Whatever exception an interrupted run surfaces as, the exit is 130 and one line."""
    from forecast.cli.main import main
    from forecast.design import inputs

    def interrupted(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGINT)
        time.sleep(1)

    monkeypatch.setattr(inputs, "check_scenario", interrupted)
    assert main(["validate", str(june_path)]) == 130
    assert capsys.readouterr().err == "interrupted: nothing was written\n"


# --------------------------------------------------------------------------- real runs


def _session(pid: int) -> list[int]:
    """The processes of session ``pid`` (the run and any sampler workers it started)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getsid(int(entry)) == pid:
                    found.append(int(entry))
            except OSError:
                pass
    return found


def _workers(pid: int) -> int:
    """How many Python processes besides the run itself are in its session: forked sampler
    chains (a compiler run by PyTensor is another program, so it does not count)."""
    exe = os.path.realpath(f"/proc/{pid}/exe")
    count = 0
    for other in _session(pid):
        try:
            if other != pid and os.path.realpath(f"/proc/{other}/exe") == exe:
                count += 1
        except OSError:
            pass
    return count


def _start(out: Path, draws: int) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "forecast",
            "run",
            "june-anniversary",
            "--out",
            str(out),
            "--draws",
            str(draws),
            "--tune",
            "500",
            "--chains",
            "2",
            # PyMC's sampler forks chain workers, the processes an interrupt must not orphan;
            # no cached posterior, so every run really samples
            "--sampler",
            "pymc",
            "--no-cache",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _wait(proc: subprocess.Popen, ready, timeout: float = 120) -> None:
    end = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, f"the run ended before the phase: {proc.communicate()}"
        assert time.monotonic() < end, "the phase was never reached"
        time.sleep(0.02)


def _files(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def _kept(out: Path) -> str:
    """The line a stop prints when ``out`` holds the previous run, untouched."""
    return f"interrupted: nothing new was written; {out} is as it was\n"


def _stop(proc: subprocess.Popen, sig: int, group: bool) -> tuple[int, str]:
    (os.killpg if group else os.kill)(proc.pid, sig)
    _out, err = proc.communicate(timeout=120)
    deadline = time.monotonic() + 10
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _session(proc.pid) == [], "a sampler worker was left running"
    return proc.returncode, err


@pytest.mark.slow
@pytest.mark.parametrize(
    ("sig", "group", "status", "after"),
    [(signal.SIGINT, True, 130, 0.3), (signal.SIGTERM, False, 143, 3.0)],
    ids=["ctrl-c-to-the-group-while-tuning", "kill-pid-while-drawing"],
)
def test_an_interrupt_while_sampling_writes_nothing(previous, sig, group, status, after):
    before = _files(previous)
    proc = _start(previous, draws=50_000)
    _wait(proc, lambda: _workers(proc.pid) >= 2)  # the two chain workers are running
    time.sleep(after)
    code, err = _stop(proc, sig, group)
    assert (code, err) == (status, _kept(previous))
    assert _files(previous) == before
    assert sorted(p.name for p in previous.parent.iterdir()) == [
        previous.name,
        previous.name + ".lock",
    ]


@pytest.mark.slow
def test_an_interrupt_at_start_up_or_while_writing_leaves_the_previous_run(previous):
    """Phases: importing (before the lock), and after sampling (forecasting, rendering and
    writing the staged directory). A second run into the same directory meanwhile is refused."""
    before = _files(previous)
    proc = _start(previous, draws=300)
    time.sleep(0.3)
    code, err = _stop(proc, signal.SIGINT, True)
    assert code == 130 and err in ("interrupted: nothing was written\n", _kept(previous))
    assert _files(previous) == before

    proc = _start(previous, draws=300)
    _wait(proc, lambda: _workers(proc.pid) >= 2)
    second = subprocess.run(
        [sys.executable, "-m", "forecast", "run", "june-anniversary", "--out", str(previous)],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert second.returncode == 2
    assert second.stderr == (
        f"error: another run is writing {previous}; try again when it has finished\n"
    )
    _wait(proc, lambda: _workers(proc.pid) == 0)  # sampling done: forecasting, rendering
    time.sleep(0.2)
    assert _stop(proc, signal.SIGINT, True) == (130, _kept(previous))
    assert _files(previous) == before
