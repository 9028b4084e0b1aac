"""Time `python -m forecast run` end to end on the shipped scenarios, cold and warm.

Cold: an empty PyTensor compile cache (a fresh temporary compiledir). Warm: the same run again
with that cache filled. Prints wall-clock seconds, the seconds spent inside PyMC's ``sample``
(compiling the log-density and running the chains; from forecast.json) and the peak resident
memory of the run's main process (the chains run in two worker processes of similar size).
Usage:

    .venv/bin/python benchmarks/bench_run.py [--scenario PATH ...] [--repeat N]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(
    scenario: Path, out: Path, compiledir: Path, extra: list[str]
) -> tuple[float, dict, float]:
    env = {**os.environ, "PYTENSOR_FLAGS": f"compiledir={compiledir}"}
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "forecast", "run", str(scenario), "--out", str(out), *extra],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)  # this run's own peak memory (the main process)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"run failed for {scenario}:\n{stderr}")
    doc = json.loads((out / "forecast.json").read_text())
    return wall, doc, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", type=Path)
    parser.add_argument("--repeat", type=int, default=2, help="warm runs per scenario (best kept)")
    parser.add_argument("extra", nargs="*", help="extra arguments for `forecast run`")
    args = parser.parse_args()
    scenarios = args.scenario or sorted((ROOT / "scenarios").glob("*.yaml"))
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores; default settings "
        "(4 chains x 1000 draws, 1000 tuning steps) unless overridden"
    )
    print(f"{'scenario':<20} {'cold s':>8} {'warm s':>8} {'sample() s':>10} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for scenario in scenarios:
            cache = Path(tmp) / f"cache-{scenario.stem}"
            cold, _, _ = _run(scenario, Path(tmp) / "cold", cache, args.extra)
            warm_runs = [
                _run(scenario, Path(tmp) / "warm", cache, args.extra) for _ in range(args.repeat)
            ]
            warm, doc, peak = min(warm_runs, key=lambda r: r[0])
            print(
                f"{scenario.stem:<20} {cold:8.1f} {warm:8.1f} "
                f"{doc['diagnostics']['sampling_seconds']:10.1f} {peak:9.0f}"
            )


if __name__ == "__main__":
    main()
