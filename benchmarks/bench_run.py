"""Time `python -m forecast run` end to end, the default backend against the PyMC reference.

One invocation measures, each in a fresh process, on one scenario (default june-anniversary):

- the PyMC-NUTS reference (``--sampler pymc``), cold (empty PyTensor compile cache,
  ``PYTENSOR_FLAGS=base_compiledir=<empty dir>``, and empty user cache,
  ``XDG_CACHE_HOME=<empty dir>``) and warm (the same caches again);
- the default backend, cold and warm, the same way;
- the cached re-run: the default command again with its posterior and its figures in the
  caches;
- a 5-year horizon (the scenario with ``horizon_end`` five years after ``as_of``), warm;
- a refit loop: the backtest's engine refitted to the last ``--refits`` monthly origins
  (2 chains x (500 + 500)), with the default refit backend and with nutpie (the refit
  backend before it, the reference of this line), each in a fresh process. Every program
  the loop needs is compiled (nutpie: one, always compiled; numpyro: one per array shape,
  loaded from the persistent cache once a process has compiled it) before the loop, and
  that time is printed apart; a last line gives each loop's throughput with its compiling.

Every run is ``--no-cache`` (sampled) except the cached re-run, and writes the report. Each
line prints wall seconds, the ratio reference / this (how many times faster than the
reference measured in the same invocation: cold against cold, warm against warm, the cached
re-run against the warm reference, refits against nutpie's) and the peak resident memory of
the process (the PyMC reference samples its chains in worker processes; their memory is not
included). Warm figures
are medians of ``--repeat`` runs. Usage:

    .venv/bin/python benchmarks/bench_run.py [--scenario PATH] [--repeat N] [--refits N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run_measured(argv: list[str], env: dict) -> tuple[float, float, str]:
    """Wall seconds, the child's own peak RSS (MiB) and its stdout, for one fresh process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out_f, tempfile.TemporaryFile("w+") as err_f:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=out_f, stderr=err_f, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out_f.seek(0)
        err_f.seek(0)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"failed: {' '.join(argv)}\n{err_f.read()}")
        return wall, usage.ru_maxrss / 1024, out_f.read()


def _env(caches: Path) -> dict:
    return {
        **os.environ,
        "XDG_CACHE_HOME": str(caches / "xdg"),
        "PYTENSOR_FLAGS": f"base_compiledir={caches / 'pytensor'}",
    }


def _forecast(scenario: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "forecast", "run", str(scenario), "--out", str(out), *extra]


def _five_years(scenario: Path, tmp: Path) -> Path:
    import yaml

    raw = yaml.safe_load(scenario.read_text(encoding="utf-8"))
    as_of = date.fromisoformat(str(raw["as_of"]))
    raw["horizon_end"] = date(as_of.year + 5, as_of.month, as_of.day).isoformat()
    raw["name"] = f"{raw['name']}-5y"
    path = tmp / "five-years.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _refit_script() -> str:
    return r"""
import json, sys, time
from datetime import timedelta
from forecast.backtest.engine import Engine, covariate_names
from forecast.backtest.origins import (DEFAULT_TEMPLATE, load_template, make_settings, origins,
                                       scenario_at)
from forecast.design.prepare import prepare
from forecast.domain.record import load_dataset

n, backend = int(sys.argv[1]), sys.argv[2]
dataset = load_dataset()
settings = make_settings(dataset)
days = origins(settings)[-n:]
template = load_template(DEFAULT_TEMPLATE, dataset)
datas = [prepare(scenario_at(template, d, d + timedelta(days=settings.longest), settings.windows),
                 dataset) for d in days]
names = covariate_names(datas[0].scenario, dataset.dyad)
start = time.perf_counter()
engine = Engine(names, datas[0], backend=backend)
engine.warm(datas, draws=500, tune=500, chains=2)  # every program the loop needs, before it
compiled = time.perf_counter()
for i, data in enumerate(datas):
    engine.fit(data, draws=500, tune=500, chains=2, seed=i)
done = time.perf_counter()
print(json.dumps({"compile": compiled - start, "programs": engine.programs, "fits": len(datas),
                  "per_fit": (done - compiled) / len(datas), "loop": done - start}))
"""


def _refits(backend: str, n: int, env: dict) -> dict:
    wall, peak, out = _run_measured([sys.executable, "-c", _refit_script(), str(n), backend], env)
    return {**json.loads(out.strip().splitlines()[-1]), "wall": wall, "peak": peak}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", type=Path, default=ROOT / "scenarios/june-anniversary.yaml")
    parser.add_argument("--repeat", type=int, default=3, help="warm runs per case (median)")
    parser.add_argument("--refits", type=int, default=24, help="origins in the refit loop")
    args = parser.parse_args()

    from forecast.model.backends import DEFAULT_BACKEND, REFERENCE_BACKEND, REFIT_BACKEND

    load = os.getloadavg()[0]
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.1f} at "
        f"start; {args.scenario.name}, its own sampler settings, report included; "
        f"{date.today().isoformat()}"
    )
    rows: list[tuple[str, float, float | None, float]] = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)

        def cold_and_warm(backend: str) -> tuple[float, float, float, float, Path]:
            caches = tmp / f"caches-{backend}"
            env = _env(caches)
            argv = _forecast(args.scenario, tmp / f"out-{backend}", "--no-cache")
            argv += ["--sampler", backend]
            cold, cold_peak, _ = _run_measured(argv, env)
            warm = [_run_measured(argv, env) for _ in range(args.repeat)]
            return (
                cold,
                cold_peak,
                statistics.median(w[0] for w in warm),
                statistics.median(w[1] for w in warm),
                caches,
            )

        ref_cold, ref_cold_peak, ref_warm, ref_warm_peak, _ = cold_and_warm(REFERENCE_BACKEND)
        cold, cold_peak, warm, warm_peak, caches = cold_and_warm(DEFAULT_BACKEND)
        rows += [
            (f"reference ({REFERENCE_BACKEND}) cold", ref_cold, ref_cold, ref_cold_peak),
            (f"reference ({REFERENCE_BACKEND}) warm", ref_warm, ref_warm, ref_warm_peak),
            (f"default ({DEFAULT_BACKEND}) cold", cold, ref_cold, cold_peak),
            (f"default ({DEFAULT_BACKEND}) warm", warm, ref_warm, warm_peak),
        ]
        env = _env(caches)
        cached_argv = _forecast(args.scenario, tmp / "out-cached")
        _run_measured(cached_argv, env)  # stores the posterior and the report's figures
        again = [_run_measured(cached_argv, env) for _ in range(args.repeat)]
        rows.append(
            (
                "cached re-run",
                statistics.median(a[0] for a in again),
                ref_warm,
                statistics.median(a[1] for a in again),
            )
        )
        five = _five_years(args.scenario, tmp)
        five_argv = _forecast(five, tmp / "out-5y", "--no-cache")
        _run_measured(five_argv, env)  # its own shapes compile once
        f_wall, f_peak, _ = _run_measured(five_argv, env)
        rows.append(("5-year horizon, warm", f_wall, None, f_peak))

        ref = _refits("nutpie", args.refits, env)
        fast = _refits(REFIT_BACKEND, args.refits, env)

    print(f"{'case':<28} {'seconds':>8} {'x faster':>9} {'peak MiB':>9}")
    for name, seconds, reference, peak in rows:
        ratio = f"{reference / seconds:9.1f}" if reference is not None else f"{'':>9}"
        print(f"{name:<28} {seconds:8.2f} {ratio} {peak:9.0f}")
    print(
        f"{'refits, nutpie (reference)':<28} {ref['per_fit']:8.3f} {1.0:9.1f} {ref['peak']:9.0f}"
        f"   s per fit ({1 / ref['per_fit']:.1f} fits/s; {ref['fits']} fits after "
        f"{ref['compile']:.1f} s compiling {ref['programs']} program)"
    )
    print(
        f"{'refits, ' + REFIT_BACKEND:<28} {fast['per_fit']:8.3f} "
        f"{ref['per_fit'] / fast['per_fit']:9.1f} {fast['peak']:9.0f}"
        f"   s per fit ({1 / fast['per_fit']:.1f} fits/s; {fast['fits']} fits after "
        f"{fast['compile']:.1f} s compiling or loading {fast['programs']} programs)"
    )
    for name, r in (("nutpie", ref), (REFIT_BACKEND, fast)):
        print(
            f"refit loop with its compiling, {name}: {r['fits'] / r['loop']:.1f} fits/s "
            f"({r['loop']:.1f} s for {r['fits']} fits)"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


if __name__ == "__main__":
    main()
