"""Time `python -m forecast report RUN_DIR`: re-rendering the PDF from a saved run.

Each repeat is a fresh process (imports included), as a user would run it. Prints wall-clock
seconds, the CPU seconds of the process (user + system; on a busy machine the wall time grows
but this does not), peak resident memory, the load average while measuring, and a breakdown of
one in-process render by stage. Without RUN_DIR a run of scenarios/june-anniversary.yaml at
default settings is made first (in a temporary directory; it is not timed). Usage:

    .venv/bin/python benchmarks/bench_report.py [RUN_DIR] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_SECONDS = 3.0


def _report(run_dir: Path, out: Path) -> tuple[float, float, float]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "forecast", "report", str(run_dir), "--out", str(out)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    stderr = proc.stderr.read().decode() if proc.stderr else ""
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"report failed for {run_dir}:\n{stderr}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def _stages(run_dir: Path, out: Path) -> list[tuple[str, float]]:
    """One render in this process, timed by stage (imports are already warm by then)."""
    marks: list[tuple[str, float]] = []
    t = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        now = time.perf_counter()
        marks.append((name, now - t))
        t = now

    from forecast.io.rundir import load_run
    from forecast.predict import Draws
    from forecast.report.content import build, occasions
    from forecast.report.figures import figures
    from forecast.report.render import compile_pdf
    from forecast.report.track import locate, track_record

    lap("imports")
    saved = load_run(run_dir)
    data = saved.model_data()
    draws = Draws.from_dataset(saved.idata["posterior"].to_dataset())
    lap("load run")
    track = track_record(locate(run_dir), saved.stamp["data_sha256"])
    content = build(saved.document, data, draws, track=track)
    lap("content + leave-one-out")
    svgs = figures(saved.document, content, occasions(data))
    lap("figures (SVG)")
    for ind in content["indicators"]:
        del ind["draws"]
    if track.get("figure"):
        svgs["reliability.svg"] = Path(track["figure"]).read_text(encoding="utf-8")
        track["figure"] = "reliability.svg"
    out.write_bytes(compile_pdf(content, svgs))
    lap("typst layout + PDF")
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("run_dir", nargs="?", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        run_dir = args.run_dir
        if run_dir is None:
            run_dir = Path(tmp) / "june-anniversary"
            subprocess.run(
                [sys.executable, "-m", "forecast", "run", "scenarios/june-anniversary.yaml"]
                + ["--out", str(run_dir)],
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )
        out = Path(tmp) / "report.pdf"
        _report(run_dir, out)  # first run fills OS file caches; not counted
        results = [_report(run_dir, out) for _ in range(args.repeat)]
        load = os.getloadavg()[0]
        stages = _stages(run_dir, out)
    walls, cpus, mems = zip(*results, strict=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f}")
    print(f"run directory: {run_dir}")
    print(f"{'':24} {'best':>6} {'median':>7}")
    print(f"{'wall s':24} {min(walls):6.2f} {statistics.median(walls):7.2f}")
    print(f"{'CPU s (user+sys)':24} {min(cpus):6.2f} {statistics.median(cpus):7.2f}")
    print(f"{'peak MiB':24} {min(mems):6.0f} {statistics.median(mems):7.0f}")
    verdict = "met" if statistics.median(walls) <= TARGET_SECONDS else "NOT met"
    print(f"target: median wall <= {TARGET_SECONDS:.0f} s: {verdict}")
    print("one render in-process, by stage:")
    for name, seconds in stages:
        print(f"  {name:26} {seconds:5.2f} s")


if __name__ == "__main__":
    main()
