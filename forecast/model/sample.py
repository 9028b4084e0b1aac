"""Sampling and diagnostics. Results are ArviZ ``DataTree`` objects."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass

import numpy as np
import xarray as xr

from forecast.design.prepare import ModelData
from forecast.errors import RunFailed
from forecast.model.backends import BACKENDS, DEFAULT_BACKEND
from forecast.model.build import CLAIM_PARAMETERS, PARAMETERS, build_model, prior_arrays

RHAT_MAX = 1.01
ESS_MIN = 400


class SamplingIncomplete(RunFailed):
    """The sampler returned fewer chains or draws than asked for, or draws that are not finite
    (an interrupted or failed fit): nothing may be computed from such a trace."""


def check_complete(idata: xr.DataTree, *, chains: int, draws: int) -> None:
    """Refuse a trace that is not every chain and draw asked for, all finite.

    PyMC returns the partial trace when sampling is interrupted (Ctrl-C) and may drop a chain;
    forecasting from it would give normal-looking numbers from a fraction of the fit.

    Raises
    ------
    SamplingIncomplete
        Naming what was asked for and what came back.
    """
    if "posterior" not in idata.children:
        raise SamplingIncomplete("the sampler returned no posterior draws")
    post = idata["posterior"].to_dataset()
    got_chains, got_draws = post.sizes.get("chain", 0), post.sizes.get("draw", 0)
    if (got_chains, got_draws) != (chains, draws):
        raise SamplingIncomplete(
            f"the sampler returned {got_chains} of {chains} chains and {got_draws} of {draws} "
            "draws per chain; nothing was written"
        )
    for name in PARAMETERS:
        if name in post and not np.isfinite(post[name].values).all():
            raise SamplingIncomplete(f"the sampler returned non-finite draws of {name}")


@dataclass
class Fit:
    idata: xr.DataTree
    diagnostics: dict


def prior_draws(data: ModelData, draws: int, seed: int) -> xr.Dataset:
    """Independent draws from the (all-normal) priors, in the posterior's layout."""
    rng = np.random.default_rng(seed)
    priors = prior_arrays(data)

    def normal(name: str) -> np.ndarray:
        mu, sd = priors[f"{name}_mu"], priors[f"{name}_sigma"]
        return rng.normal(mu, sd, size=(1, draws, *np.shape(mu)))

    return xr.Dataset(
        {
            "log_rate": (("chain", "draw"), normal("log_rate")),
            "beta": (("chain", "draw", "covariate"), normal("beta")),
            "venue_asc": (("chain", "draw", "venue_alt"), normal("venue_asc")),
            "venue_beta": (("chain", "draw", "venue_attr"), normal("venue_beta")),
            **(
                {name: (("chain", "draw"), normal(name)) for name in CLAIM_PARAMETERS}
                if data.announce is not None
                else {}
            ),
        },
        coords={
            "chain": [0],
            "draw": np.arange(draws),
            "covariate": data.history.names,
            "venue_alt": list(data.dyad.alternatives),
            "venue_attr": [t.name for t in data.venue_terms],
        },
    )


def diagnose(idata: xr.DataTree, seconds: float) -> dict:
    """R-hat, bulk and tail ESS, divergences and timing, with the problems spelled out.

    The diagnostics are arviz-stats' (rank-normalised R-hat, bulk ESS, tail ESS at its default
    probability), computed by the NumPy port :mod:`forecast.model.convergence`; see
    :func:`diagnose_arrays`.
    """
    full = idata["posterior"].to_dataset()
    values = {v: full[v].transpose("chain", "draw", ...).values for v in PARAMETERS if v in full}
    return diagnose_arrays(values, idata["sample_stats"]["diverging"].values, seconds)


def diagnose_arrays(values: dict[str, np.ndarray], diverging: np.ndarray, seconds: float) -> dict:
    """:func:`diagnose` on plain arrays (the backtest's refits skip building a trace).

    Parameters
    ----------
    values
        The parameters of :data:`~forecast.model.build.PARAMETERS` the model has, each as a
        ``(chain, draw, ...)`` array; an empty one (a dyad without venue terms) is left out.
    diverging
        ``(chain, draw)`` divergent transitions after tuning.
    seconds
        The fit's wall time, recorded as ``sampling_seconds``.
    """
    from forecast.model.convergence import diagnostics

    # a dyad may have no venue terms (an empty array); a model may lack a parameter
    params = [v for v in PARAMETERS if v in values and values[v].size]
    chains, draws = values["log_rate"].shape[:2]
    # every scalar of every parameter in one (chain, draw, scalar) array, diagnosed at once
    flat = [np.asarray(values[v], dtype=float).reshape(chains, draws, -1) for v in params]
    found = diagnostics(np.concatenate(flat, axis=2))
    bounds = np.cumsum([0] + [f.shape[2] for f in flat])

    def worst(key: str, reduce) -> float:  # over each variable NaN-skipping, as xarray's max/min
        per_variable = []
        for k in range(len(params)):
            scalars = found[key][bounds[k] : bounds[k + 1]]
            scalars = scalars[~np.isnan(scalars)]
            per_variable.append(float(reduce(scalars)) if scalars.size else float("nan"))
        return reduce(per_variable)

    rhat_max = worst("rhat", max) if chains > 1 else float("nan")
    out = {
        "rhat_max": rhat_max,
        "ess_bulk_min": worst("ess_bulk", min),
        "ess_tail_min": worst("ess_tail", min),
        "divergences": int(np.sum(diverging)),
        "chains": int(chains),
        "draws": int(draws),
        "sampling_seconds": round(seconds, 3),
    }
    problems = []
    if chains > 1 and not rhat_max <= RHAT_MAX:
        problems.append(f"R-hat {rhat_max:.3f} > {RHAT_MAX}")
    if out["divergences"]:
        problems.append(f"{out['divergences']} divergent transitions")
    if out["ess_bulk_min"] < ESS_MIN:
        problems.append(f"bulk ESS {out['ess_bulk_min']:.0f} < {ESS_MIN}")
    if out["ess_tail_min"] < ESS_MIN:
        problems.append(f"tail ESS {out['ess_tail_min']:.0f} < {ESS_MIN}")
    if chains == 1:
        problems.append("one chain: R-hat cannot be computed")
    out["problems"] = problems
    return out


def mp_context() -> str | None:
    """How PyMC starts its chain processes: forked (fast) unless nutpie or JAX has run here.

    nutpie and JAX leave native thread pools behind, and forking a process with busy native
    threads can deadlock the child; a fork server (about 4 s slower here) starts the workers
    from a clean process instead.
    """
    return "forkserver" if {"nutpie", "jax"} & set(sys.modules) else None


def sample(
    data: ModelData,
    *,
    draws: int,
    tune: int,
    chains: int,
    seed: int,
    target_accept: float = 0.9,
    cores: int | None = None,
    backend: str = DEFAULT_BACKEND,
    progress: bool = False,
) -> Fit:
    """Fit the model for ``data`` and attach prior draws for prior-vs-posterior views.

    The one sampling entry point of a single fit. ``backend`` chooses the NUTS
    implementation: ``"numpyro"`` (the default: the same model in JAX, compiled once and
    cached on disk, :mod:`forecast.model.jaxnuts`), ``"pymc"`` (PyMC's own, the reference) or
    ``"nutpie"`` (compiled with numba; the same compiled model class serves the backtest's and
    the simulation checks' refits, :class:`~forecast.model.compiled.CompiledModel`). All
    sample the model of :func:`~forecast.model.build.build_model` with the same settings; the
    numbers agree within Monte Carlo error, not to the digit.

    ``progress`` shows the backend's own progress bar (on stderr); the command line asks for
    it only on a terminal.

    Returns
    -------
    Fit
        The trace (posterior, sample stats, prior) and its diagnostics.

    Raises
    ------
    SamplingIncomplete
        If the trace is not every chain and draw asked for (an interrupted fit), all finite.
    """
    if backend not in BACKENDS:
        raise ValueError(f"unknown sampler backend {backend!r}; expected one of {BACKENDS}")
    start = time.perf_counter()
    if backend == "numpyro":
        from forecast.model.jaxnuts import sample_numpyro

        idata = sample_numpyro(
            data, draws=draws, tune=tune, chains=chains, seed=seed, target_accept=target_accept
        )
    elif backend == "pymc":
        idata = _sample_pymc(
            build_model(data), draws, tune, chains, seed, target_accept, cores, progress
        )
    else:
        from forecast.model.compiled import CompiledModel

        idata = CompiledModel(build_model(data)).sample(
            {},
            draws=draws,
            tune=tune,
            chains=chains,
            seed=seed,
            cores=cores if cores is not None else min(chains, 2),
            target_accept=target_accept,
            progress=progress,
        )
    check_complete(idata, chains=chains, draws=draws)
    seconds = time.perf_counter() - start
    idata["prior"] = xr.DataTree(prior_draws(data, draws=max(draws, 1000), seed=seed + 1))
    return Fit(idata=idata, diagnostics=diagnose(idata, seconds))


def _sample_pymc(
    model, draws, tune, chains, seed, target_accept, cores, progress=False
) -> xr.DataTree:
    import pymc as pm

    for name in ("pymc", "pymc.sampling", "pymc.stats.convergence"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return pm.sample(
        draws=draws,
        tune=tune,
        chains=chains,
        cores=cores if cores is not None else min(chains, 2),
        random_seed=seed,
        target_accept=target_accept,
        nuts_sampler="pymc",
        model=model,
        progressbar=progress,
        compute_convergence_checks=False,
        mp_ctx=mp_context(),
    )
