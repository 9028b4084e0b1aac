"""The command line on bad input: exit 2, one line on stderr naming the file, nothing written.

Every case runs ``python -m forecast`` in a fresh process, as a user would. The processes are
started together (see ``results``) because each one pays the import cost of the package.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from forecast import __version__

ROOT = Path(__file__).resolve().parents[2]
WRONG = sorted((ROOT / "scenarios" / "wrong").glob("*.yaml"))
JUNE = "scenarios/june-anniversary.yaml"
TIMEOUT = 300


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def fresh(*args: str) -> subprocess.CompletedProcess:
    """The CLI in a fresh Python process (start-up, imports and exit status as a user sees
    them); most tests use :func:`cli`, the same entry point in this process."""
    return subprocess.run(
        [sys.executable, "-m", "forecast", *args],
        cwd=ROOT,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def expected_error(path: Path) -> str:
    """The error a wrong_*.yaml promises in its first line: # WRONG: <what>. EXPECT: "<text>"."""
    first = path.read_text(encoding="utf-8").splitlines()[0]
    found = re.fullmatch(r'# WRONG: .+\. EXPECT: "(.+)"', first)
    assert found, f"{path.name}: first line should be '# WRONG: <what>. EXPECT: \"<error>\"'"
    return found.group(1)


def assert_one_line_error(proc: subprocess.CompletedProcess, name: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    assert proc.stderr.endswith("\n")
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert name in lines[0]


# --------------------------------------------------------------------------- wrong scenarios


def test_there_are_wrong_examples():
    names = {p.name for p in WRONG}
    assert len(names) >= 5
    assert all(n.startswith("wrong_") for n in names)
    assert {"wrong_unknown_key.yaml", "wrong_python_object.yaml"} <= names


def in_process(*args: str) -> subprocess.CompletedProcess:
    """The CLI's ``main`` run in this process from the repository root, its output captured:
    the same one-line contract as a fresh process (which the tests below check too), at a
    fraction of the cost. An uncaught exception propagates and fails the test."""
    from forecast.cli.main import main

    out, err, here = io.StringIO(), io.StringIO(), os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(here)
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


cli = in_process  # the CLI's entry point, in this process (fresh() where start-up matters)


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("path", WRONG, ids=lambda p: p.stem)
def test_wrong_scenario(command, path, tmp_path):
    out = tmp_path / "sub" / "out"
    args = ("run", rel(path), "--out", str(out)) if command == "run" else ("validate", rel(path))
    proc = in_process(*args)
    assert_one_line_error(proc, rel(path))
    assert expected_error(path) in proc.stderr
    assert not out.exists()
    assert not out.parent.exists()


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_wrong_scenario_in_a_fresh_process(command, tmp_path):
    path = ROOT / "scenarios" / "wrong" / "wrong_unknown_key.yaml"
    out = tmp_path / "out"
    args = ("run", rel(path), "--out", str(out)) if command == "run" else ("validate", rel(path))
    proc = fresh(*args)
    assert_one_line_error(proc, rel(path))
    assert expected_error(path) in proc.stderr
    assert not out.exists()


# --------------------------------------------------------------------------- other bad input


def test_missing_file(tmp_path):
    proc = cli("validate", "scenarios/no-such-scenario.yaml")
    assert_one_line_error(proc, "scenarios/no-such-scenario.yaml")
    assert proc.stderr == "error: scenarios/no-such-scenario.yaml: scenario file not found\n"


def test_missing_file_run_writes_nothing(tmp_path):
    out = tmp_path / "out"
    proc = cli("run", "scenarios/no-such-scenario.yaml", "--out", str(out))
    assert_one_line_error(proc, "scenarios/no-such-scenario.yaml")
    assert not out.exists()


def test_directory_as_scenario():
    proc = cli("validate", "scenarios")
    assert_one_line_error(proc, "scenarios")
    assert "expected a regular scenario file, got a directory" in proc.stderr


def test_negative_draws_is_an_argument_error(tmp_path):
    out = tmp_path / "out"
    proc = cli("run", JUNE, "--draws", "-3", "--out", str(out))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "--draws" in proc.stderr
    assert "expected --draws >= 10, got -3" in proc.stderr
    assert proc.stdout == ""
    assert not out.exists()


def test_no_command_is_an_argument_error():
    proc = cli()
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        "error: python -m forecast: the following arguments are required: COMMAND "
        "(see 'python -m forecast --help')"
    ]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["run"], "error: python -m forecast run: the following arguments are required: scenario"),
        (["bogus"], "error: python -m forecast: argument COMMAND: invalid choice: 'bogus'"),
        (["run", "x.yaml", "--chains", "two"], "argument --chains: expected a whole number"),
        (["report", "x", "--scale", "cia"], "argument --scale: invalid choice: 'cia'"),
        (["validate", "--sbc", "--sims", "5"], "argument --sims: expected --sims >= 20, got 5"),
    ],
)
def test_argument_errors_are_one_line(args, expected):
    proc = cli(*args)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert len(proc.stderr.splitlines()) == 1, proc.stderr
    assert expected in proc.stderr


# --------------------------------------------------------------------------- good input


def test_version():
    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"summit-forecast {__version__}"


def test_the_console_script_is_the_command_line():
    """``summit-forecast`` (the installed script) runs the same command line and leaves as
    ``python -m forecast`` does."""
    import shutil
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "summit-forecast"]
    assert script.value == "forecast.cli.main:console"
    exe = Path(sys.executable).with_name("summit-forecast")
    path = str(exe) if exe.exists() else shutil.which("summit-forecast")
    proc = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=60)
    assert (proc.returncode, proc.stdout.strip()) == (0, f"summit-forecast {__version__}")


def test_help():
    proc = cli("--help")
    assert proc.returncode == 0
    assert "usage:" in proc.stdout
    assert "validate" in proc.stdout and "run" in proc.stdout


def test_validate_ok():
    proc = cli("validate", JUNE)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{JUNE}: ok")
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["kim-trump-2026", "kim-xi-2026"])
def test_validate_ok_for_the_other_dyads(name):
    path = f"scenarios/{name}.yaml"
    proc = cli("validate", path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{path}: ok")
    assert "Traceback" not in proc.stderr


def test_validate_runs_the_cross_check_with_the_scenario_dataset(tmp_path):
    # Valid for the schema; kim-trump's dyad has no war, so a ceasefire is refused.
    text = (ROOT / "scenarios" / "kim-trump-2026.yaml").read_text(encoding="utf-8")
    assert "\nceasefire:" not in text
    assert "\nindicators: []\n" in text
    text = text.replace(
        "\nindicators: []\n",
        "\nceasefire:\n  assumption: ceasefire\n  start: 2026-06-01\n\nindicators: []\n",
    )
    path = tmp_path / "kim-trump-ceasefire.yaml"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    for args in (["validate", str(path)], ["run", str(path), "--out", str(out)]):
        proc = cli(*args)
        assert_one_line_error(proc, str(path))
        assert proc.stderr == (
            f"error: {path}: ceasefire -> assumption: dataset kim-trump has no war or ceasefire "
            "term; expected 'war_continues' or no 'ceasefire'\n"
        )
    assert not out.exists()


def test_out_pointing_at_a_file_is_refused_before_sampling(tmp_path):
    target = tmp_path / "a-file"
    target.write_text("keep me")
    proc = cli("run", "scenarios/june-anniversary.yaml", "--out", str(target))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "--out: expected a directory" in proc.stderr
    assert target.read_text() == "keep me"


def test_unknown_dataset_is_one_line_naming_the_scenario_and_field(tmp_path):
    text = (ROOT / "scenarios" / "kim-trump-2026.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("dataset: kim-trump", "dataset: kim-trumpp"), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "forecast", "validate", str(bad)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        f"error: {bad}: dataset: unknown dataset 'kim-trumpp'; did you mean 'kim-trump'?\n"
    )


def test_a_shipped_scenario_is_found_by_name_from_any_directory(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "forecast", "validate", "kim-xi-2026"],
        cwd=tmp_path,
        env=_env(),
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{ROOT / 'scenarios' / 'kim-xi-2026.yaml'}: ok")
    # A name that is neither a file nor a shipped scenario is a one-line error.
    proc = cli("validate", "no-such-scenario")
    assert proc.returncode == 2
    assert proc.stderr == "error: no-such-scenario: scenario file not found\n"


def test_an_unknown_sampler_is_a_one_line_argument_error():
    proc = cli("run", "scenarios/june-anniversary.yaml", "--sampler", "stan")
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: python -m forecast run: argument --sampler: invalid")
    assert len(proc.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- refused before work
# In process (no interpreter start-up per case); none of these reaches the sampler, which the
# fast tier's guard would refuse.


def _main(capsys, *args: str) -> tuple[int, str]:
    from forecast.cli.main import main

    status = main(list(args))
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return status, captured.err


def _one_line(err: str) -> str:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith("error: ")
    return err


def _out_file_sub(tmp_path: Path) -> Path:
    (tmp_path / "file").write_text("x")
    return tmp_path / "file" / "sub"


def _dangling(tmp_path: Path) -> Path:
    (tmp_path / "link").symlink_to(tmp_path / "nowhere")
    return tmp_path / "link"


def _dir_named_forecast_json(tmp_path: Path) -> Path:
    (tmp_path / "out" / "forecast.json").mkdir(parents=True)
    return tmp_path / "out"


def _foreign_file(tmp_path: Path) -> Path:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "notes.txt").write_text("mine")
    return tmp_path / "out"


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_out_file_sub, "is a regular file, not a directory"),
        (lambda tmp: Path("/proc/summit-forecast-test"), "kernel's /proc file system"),
        (_dangling, "is a symbolic link"),
        (_dir_named_forecast_json, "holds 'forecast.json', which is a directory"),
        (_foreign_file, "holds 'notes.txt', which a run does not write"),
    ],
    ids=["file-sub", "proc", "dangling-symlink", "dir-named-forecast-json", "foreign-file"],
)
def test_an_unusable_out_is_one_line_before_sampling(tmp_path, capsys, june_path, make, expected):
    out = make(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    status, err = _main(capsys, "run", str(june_path), "--out", str(out))
    assert status == 2
    assert "--out: " in _one_line(err) and expected in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_a_symlink_planted_in_the_out_dir_is_refused_and_not_followed(
    tiny_run_dir, tmp_path, capsys, june_path
):
    import shutil

    out = tmp_path / "run"
    shutil.copytree(tiny_run_dir, out)
    victim = tmp_path / "victim.txt"
    victim.write_text("outside the run directory")
    (out / "scenario.yaml").unlink()
    (out / "scenario.yaml").symlink_to(victim)
    status, err = _main(capsys, "run", str(june_path), "--out", str(out))
    assert status == 2 and "holds 'scenario.yaml', which is a symbolic link" in _one_line(err)
    assert victim.read_text() == "outside the run directory"


def test_a_second_run_into_a_locked_out_is_refused_at_once(tmp_path, capsys, june_path):
    from forecast.io.staging import RunLock

    out = tmp_path / "run"
    with RunLock(out):  # another run holds it
        status, err = _main(capsys, "run", str(june_path), "--out", str(out))
    assert status == 2
    assert f"another run is writing {out}; try again when it has finished" in _one_line(err)
    assert not out.exists()


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "scenario.yaml"
    os.mkfifo(path)  # no writer: reading it would block for ever
    return path


def _oversized(tmp_path: Path) -> Path:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# padding\n" * (6 << 20))  # 60 MiB
    return path


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (_fifo, "expected a regular scenario file, got a named pipe (FIFO)"),
        (lambda tmp: Path("/dev/zero"), "expected a regular scenario file, got a character device"),
        (_oversized, "scenario file too large: expected at most 1 MiB, got 60.0 MiB"),
    ],
    ids=["fifo", "dev-zero", "oversized"],
)
def test_a_hostile_scenario_file_is_refused_at_once(tmp_path, capsys, make, expected):
    import time

    path = make(tmp_path)
    for command in ("validate", "run"):
        start = time.perf_counter()
        extra = ("--out", str(tmp_path / "out")) if command == "run" else ()
        status, err = _main(capsys, command, str(path), *extra)
        assert status == 2 and expected in _one_line(err)
        assert time.perf_counter() - start < 5
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--chains", "100"), "expected --chains <= 16, got 100"),
        (("--draws", str(10**9)), "expected --draws <= 100000, got 1000000000"),
        (("--seed", str(10**26)), "expected --seed <= 4294967295"),
        (("--tune", "5"), "expected --tune >= 10, got 5"),
        (("--draws", "10", "--chains", "1"), "too few for the report's influence estimates"),
    ],
    ids=["chains", "draws", "seed", "tune", "too-few-for-the-report"],
)
def test_sampler_options_have_the_schema_bounds(tmp_path, capsys, june_path, args, expected):
    status, err = _main(capsys, "run", str(june_path), "--out", str(tmp_path / "o"), *args)
    assert status == 2 and expected in _one_line(err)
    assert not (tmp_path / "o").exists()


def test_the_option_bounds_are_the_schema_bounds():
    from forecast.cli.args import schema_bounds
    from forecast.config.scenario import Sampler

    schema = Sampler.model_json_schema()["properties"]
    for name in ("draws", "tune", "chains", "seed"):
        assert schema_bounds(Sampler, name) == (schema[name]["minimum"], schema[name]["maximum"])


def test_control_characters_from_files_do_not_reach_the_terminal(tmp_path, capsys):
    path = tmp_path / "a\x1b]0;owned\x07b\x1b[2J.yaml"  # a file name is user text too
    status, err = _main(capsys, "validate", str(path))
    assert status == 2
    assert "\x1b" not in err and "\x07" not in err
    assert "a\\x1b]0;owned\\x07b\\x1b[2J.yaml: scenario file not found" in _one_line(err)


def test_a_failed_write_is_one_line_exit_1_and_leaves_nothing(
    tiny_run_dir, tmp_path, capsys, monkeypatch
):
    import errno

    from forecast.io import safe_write

    class FullDisk:
        def __getattr__(self, name):
            return getattr(os, name)

        @staticmethod
        def write(fd, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(safe_write, "os", FullDisk())
    target = tmp_path / "r.pdf"
    status, err = _main(capsys, "report", str(tiny_run_dir), "--out", str(target))
    assert status == 1
    assert _one_line(err) == f"error: cannot write {target}: No space left on device\n"
    assert list(tmp_path.iterdir()) == []
