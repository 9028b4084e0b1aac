"""Time the backtest's compile-once engine: compile once, then per-origin cost, split up.

Compiles the model once (the backtest's refit backend, numpyro unless ``--backend nutpie``;
numpyro compiles on the first fit of each shape bucket, or loads it from its cache), then fits
``--origins`` monthly origins (ending at the default last origin, 2025-08-01) at the backtest's
default sampler settings and reports, per origin, the time to assemble the inputs
(``prepare``), to sample (2 chains on 2 cores), to diagnose and to do the forecast arithmetic.
Target: at most 1 s per origin.
Usage:

    .venv/bin/python benchmarks/bench_backtest.py [--origins N] [--draws N] [--tune N]
        [--backend numpyro|nutpie]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import time
from datetime import timedelta

from forecast.model.backends import REFIT_BACKEND

TARGET_SECONDS = 1.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--origins", type=int, default=24)
    parser.add_argument("--draws", type=int, default=500)
    parser.add_argument("--tune", type=int, default=500)
    parser.add_argument("--chains", type=int, default=2)
    parser.add_argument("--backend", choices=("numpyro", "nutpie"), default=REFIT_BACKEND)
    args = parser.parse_args()

    from forecast.backtest.engine import Engine, covariate_names
    from forecast.backtest.evaluate import window_forecasts
    from forecast.backtest.origins import (
        DEFAULT_TEMPLATE,
        load_template,
        make_settings,
        origins,
        scenario_at,
    )
    from forecast.backtest.run import origin_seed
    from forecast.design.prepare import prepare
    from forecast.domain.record import load_dataset

    dataset = load_dataset()
    settings = make_settings(dataset)
    days = origins(settings)[-args.origins :]
    template = load_template(DEFAULT_TEMPLATE, dataset)

    def data_at(day):
        sc = scenario_at(template, day, day + timedelta(days=settings.longest), settings.windows)
        return prepare(sc, dataset)

    first = data_at(days[0])
    engine = Engine(covariate_names(first.scenario, dataset.dyad), first, backend=args.backend)
    print(
        f"python {platform.python_version()}, {os.cpu_count()} cores; {args.chains} chains x "
        f"{args.draws} draws ({args.tune} tuning) per origin; {len(days)} origins "
        f"{days[0]} .. {days[-1]}"
    )
    print(f"compile once: {engine.compile_seconds:.1f} s")
    parts: dict[str, list[float]] = {"prepare": [], "sample": [], "diagnose": [], "forecast": []}
    total: list[float] = []
    for day in days:
        t0 = time.perf_counter()
        data = data_at(day)
        t1 = time.perf_counter()
        fit = engine.fit(
            data,
            draws=args.draws,
            tune=args.tune,
            chains=args.chains,
            seed=origin_seed(1, day),
        )
        t2 = time.perf_counter()
        window_forecasts(data, fit.draws, settings.windows)
        t3 = time.perf_counter()
        parts["prepare"].append(t1 - t0)
        parts["sample"].append(fit.seconds)
        parts["diagnose"].append(t2 - t1 - fit.seconds)
        parts["forecast"].append(t3 - t2)
        total.append(t3 - t0)
    print(
        "per origin (median s): "
        + ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in parts.items())
    )
    mean = statistics.fmean(total)
    verdict = "met" if mean <= TARGET_SECONDS else "NOT met"
    print(
        f"per origin: mean {mean:.2f} s, max {max(total):.2f} s; {1 / mean:.1f} origins/s; "
        f"target <= {TARGET_SECONDS:.0f} s per origin {verdict}"
    )


if __name__ == "__main__":
    main()
