"""The Monte Carlo error of the headline for a few draw counts: how the default is sized.

For each shipped scenario and each ``chains x (tune + draws)`` setting, fits the model with the
default backend and prints the headline (probability of a summit by the horizon's end), its
Monte Carlo standard error (ESS-based, in percentage points), the largest R-hat, the smallest
bulk and tail ESS over the parameters and the divergences. The default is the smallest setting
that keeps the headline's MC error under half a point, R-hat <= 1.01 and bulk ESS >= 1000 on
every scenario (docs/model.md, "Sampling"). Usage:

    .venv/bin/python benchmarks/bench_mcse.py [--scenario PATH ...] [--setting 4x500+500 ...]
"""

from __future__ import annotations

import argparse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = ("4x250+250", "4x500+500", "4x1000+1000")


def _parse(text: str) -> tuple[int, int, int]:
    chains, rest = text.split("x")
    draws, tune = rest.split("+")
    return int(chains), int(draws), int(tune)


def main() -> None:
    import arviz_stats
    import xarray as xr

    from forecast.design.prepare import prepare
    from forecast.model.sample import sample
    from forecast.pipeline import validate
    from forecast.predict import Draws, mixture

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", action="append", type=Path)
    parser.add_argument("--setting", action="append", help="CHAINSxDRAWS+TUNE")
    args = parser.parse_args()
    scenarios = args.scenario or sorted((ROOT / "scenarios").glob("*.yaml"))
    print(
        f"{'scenario':<18} {'setting':>12} {'headline':>9} {'MCSE pt':>8} {'R-hat':>6} "
        f"{'ESS bulk':>9} {'ESS tail':>9} {'div':>4}"
    )
    for path in scenarios:
        checked = validate(path)
        data = prepare(checked.scenario, checked.dataset)
        seed = checked.scenario.sampler.seed
        for setting in args.setting or SETTINGS:
            chains, draws, tune = _parse(setting)
            fit = sample(data, draws=draws, tune=tune, chains=chains, seed=seed)
            post = fit.idata["posterior"].to_dataset()
            surv, _ = mixture(data, Draws.from_dataset(post))
            headline = (1.0 - surv[:, -1]).reshape(chains, draws)
            da = xr.DataArray(headline, dims=("chain", "draw"))
            mcse = float(arviz_stats.mcse(da, method="mean"))
            d = fit.diagnostics
            print(
                f"{path.stem:<18} {setting:>12} {100 * headline.mean():8.2f}% {100 * mcse:8.3f} "
                f"{d['rhat_max']:6.3f} {d['ess_bulk_min']:9.0f} {d['ess_tail_min']:9.0f} "
                f"{d['divergences']:4d}",
                flush=True,
            )


if __name__ == "__main__":
    main()
