"""Time `make forecast` on a fresh clone, and each of its steps, with uv and with pip.

One invocation clones the repository's committed HEAD into a temporary folder (twice) and
measures, each as its own `make` process:

- ``make venv INSTALLER=pip``: creating ``.venv`` and installing with pip, the way it was done
  before uv (the reference of the install lines);
- ``make venv`` (``INSTALLER=auto``: uv, from PATH or pip-installed into ``.venv``) with an
  empty uv cache (``UV_CACHE_DIR=<empty dir>``), then again on a second clone with the cache
  that first install left (a machine that has installed the project before);
- the backtest that ``make forecast`` runs for the report's track record, then the run itself
  (what ``make forecast`` does after the install);
- ``make forecast`` end to end on a fresh clone (uv, empty uv cache, and with ``--cold`` an
  empty user cache of its own), the figure the README quotes.

With ``--cold`` the user cache is emptied too (``XDG_CACHE_HOME=<empty dir>``: JAX compiles
every program, as on a machine that has never run the project); by default it is the user's
own, as a fresh clone on this machine finds it. Each line prints wall seconds and the ratio
reference / this for the install lines. Usage:

    .venv/bin/python benchmarks/bench_clone.py [--cold] [--skip-pip]
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _timed(argv: list[str], cwd: Path, env: dict) -> float:
    start = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(argv)} in {cwd}\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}")
    return wall


def _clone(tmp: Path, name: str) -> Path:
    dest = tmp / name
    subprocess.run(["git", "clone", "-q", str(ROOT), str(dest)], check=True)
    return dest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cold", action="store_true", help="empty user cache too")
    parser.add_argument("--skip-pip", action="store_true", help="leave out the pip install")
    args = parser.parse_args()

    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores, load average "
        f"{os.getloadavg()[0]:.1f} at start; fresh clones of {head}; "
        f"user cache {'empty' if args.cold else 'as found'}; {date.today()}"
    )
    print(f"{'case':<40}{'seconds':>9}{'x faster':>10}")
    with tempfile.TemporaryDirectory(prefix="summit-clone-") as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "UV_CACHE_DIR": str(tmp / "uv-cache")}
        if args.cold:
            env["XDG_CACHE_HOME"] = str(tmp / "xdg")
        env.pop("VIRTUAL_ENV", None)
        reference = None
        if not args.skip_pip:
            repo = _clone(tmp, "pip")
            reference = _timed(["make", "venv", "INSTALLER=pip"], repo, env)
            print(f"{'make venv, pip (reference)':<40}{reference:9.1f}{1.0:10.1f}")

        def line(label: str, seconds: float, ratio: bool = False) -> None:
            x = f"{reference / seconds:10.1f}" if ratio and reference else ""
            print(f"{label:<40}{seconds:9.1f}{x}")

        repo = _clone(tmp, "uv")
        line("make venv, uv (empty uv cache)", _timed(["make", "venv"], repo, env), True)
        again = _clone(tmp, "uv-again")
        line("make venv, uv (its cache filled)", _timed(["make", "venv"], again, env), True)
        backtest = _timed(["make", "reports/backtest/backtest.json"], repo, env)
        line("  then the backtest", backtest)
        line("  then the run (make forecast)", _timed(["make", "forecast"], repo, env))
        env["UV_CACHE_DIR"] = str(tmp / "uv-cache-2")
        if args.cold:  # nothing compiled by the steps above
            env["XDG_CACHE_HOME"] = str(tmp / "xdg-2")
        whole = _clone(tmp, "whole")
        line("make forecast on a fresh clone, uv", _timed(["make", "forecast"], whole, env))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
