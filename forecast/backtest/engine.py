"""Compile the model once, then give it each origin's data and priors and sample.

The model of :func:`forecast.model.build.build_model` keeps every input in ``pm.Data`` (the
priors' means and sds included), and the JAX sampler of :mod:`forecast.model.jaxnuts` takes
every input as an argument; either is compiled once and given each origin's data and priors in
turn; the number of history segments and of venue summits may change freely, the number of
parameters may not. So the covariates are padded to a fixed list: the standing
factors plus one column per occasion indicator of the template. At an origin before an
occasion indicator was stated its column is all zeros, in the history and over the horizon, so
its coefficient (given a unit normal prior) does not touch the likelihood or the forecast: the
padded model's log density is the origin's own model's plus that prior's, and the forecast uses
only the origin's own columns (proved in tests/backtest/test_engine.py).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np

from forecast.config.scenario import FactorTarget, Scenario
from forecast.design.prepare import ModelData
from forecast.domain.dyad import Dyad
from forecast.model.backends import REFIT_BACKEND, refit_target_accept
from forecast.model.build import PARAMETERS
from forecast.predict import Draws
from forecast.priors.elicit import Prior
from forecast.terms.occasion import Occasion

UNSTATED = Prior(
    mu=0.0,
    sigma=1.0,
    low=float(np.exp(-1.2816)),
    high=float(np.exp(1.2816)),
    confidence=0.8,
    origin="padding",
    label="not yet stated at this origin (column of zeros: no effect)",
)


def covariate_names(scenario: Scenario, dyad: Dyad) -> list[str]:
    """Every term any origin can have: the dyad's standing terms, then one per occasion
    indicator."""
    occasions = [
        f"occasion:{i.id}" for i in scenario.indicators if not isinstance(i.effect_on, FactorTarget)
    ]
    from forecast.terms import used_kinds

    return [*used_kinds(scenario, dyad.timing_terms), *occasions]


def pad(data: ModelData, names: list[str]) -> ModelData:
    """The origin's inputs on the full covariate list (missing columns zero, prior N(0, 1))."""
    own = {name: k for k, name in enumerate(data.history.names)}
    unknown = set(own) - set(names)
    if unknown:
        raise ValueError(f"covariates {sorted(unknown)} are not in the padded list")
    by_name = {t.name: t for t in data.timing_terms}
    terms = [by_name.get(n) or Occasion(name=n, prior=UNSTATED) for n in names]

    def widen(X: np.ndarray) -> np.ndarray:
        out = np.zeros((X.shape[0], len(names)))
        for j, n in enumerate(names):
            if n in own:
                out[:, j] = X[:, own[n]]
        return out

    hist = replace(data.history, names=list(names), X=widen(data.history.X))
    paths = tuple(replace(p, X=widen(p.X)) for p in data.paths)
    return replace(data, timing_terms=terms, history=hist, paths=paths)


def model_inputs(data: ModelData) -> dict[str, np.ndarray]:
    """Everything :func:`forecast.model.build.build_model` keeps in ``pm.Data``, by name."""
    from forecast.model.build import claim_inputs, prior_arrays

    hist = data.history
    return {
        "X": hist.X,
        "log_exposure": np.log(hist.exposure),
        "events": hist.events,
        "venue_attrs": data.venue_attrs,
        "venue_choice": data.venue_choice,
        **prior_arrays(data),
        **(claim_inputs(hist) if data.announce is not None else {}),
    }


@dataclass
class OriginFit:
    """Posterior draws at one origin, on the origin's own covariates, and diagnostics."""

    draws: Draws
    diagnostics: dict
    seconds: float


class Engine:
    """One compiled model for every origin of a backtest.

    Parameters
    ----------
    names
        The full covariate list (see :func:`covariate_names`).
    example
        Any origin's inputs; they fix nothing but the compiled graph's structure.
    backend
        ``"numpyro"`` (the default: :class:`forecast.model.jaxnuts.JaxSampler`, whose inputs
        are the compiled program's arguments and whose shapes are bucketed, so every origin
        reuses one program and a fresh process loads it from the persistent cache) or
        ``"nutpie"`` (:class:`forecast.model.compiled.CompiledModel`).
    """

    def __init__(self, names: list[str], example: ModelData, backend: str = REFIT_BACKEND) -> None:
        if backend not in ("numpyro", "nutpie"):
            raise ValueError(f"unknown refit backend {backend!r}; expected numpyro or nutpie")
        self.names = list(names)
        self.backend = backend
        start = time.perf_counter()
        if backend == "nutpie":
            from forecast.model.build import build_model
            from forecast.model.compiled import CompiledModel

            self.core = CompiledModel(build_model(pad(example, self.names)))
            self.compile_seconds = self.core.compile_seconds
        else:
            from forecast.model.jaxnuts import start_jax

            start_jax()
            self._samplers: dict = {}
            # numpyro compiles one program per array shape, when a fit first needs it (or
            # ahead of the fits, with warm); its time is added here
            self.compile_seconds = time.perf_counter() - start
        self.programs = 1 if backend == "nutpie" else 0

    def _numpyro(self, data: ModelData, draws: int, tune: int, chains: int):
        """The sampler for these settings and ``data``'s padded arrays, its program compiled
        (or loaded from the persistent cache) if this is the first fit of their shapes."""
        from forecast.model.jaxmodel import model_arrays
        from forecast.model.jaxnuts import JaxSampler

        target_accept = refit_target_accept(data.announce is not None)
        key = (draws, tune, chains, target_accept)
        if key not in self._samplers:
            self._samplers[key] = JaxSampler(
                draws=draws, tune=tune, chains=chains, target_accept=target_accept
            )
        sampler, arrays = self._samplers[key], model_arrays(pad(data, self.names))
        start = time.perf_counter()
        if sampler.warm(arrays):
            self.compile_seconds += time.perf_counter() - start
            self.programs += 1
        return sampler, arrays

    def warm(self, datas: list[ModelData], *, draws: int, tune: int, chains: int) -> None:
        """Compile, before any fit, every program the fits of ``datas`` will need, so that
        the fits' own times are sampling only (nutpie's one program is compiled already)."""
        if self.backend == "numpyro":
            for data in datas:
                self._numpyro(data, draws, tune, chains)

    def fit(self, data: ModelData, *, draws: int, tune: int, chains: int, seed: int) -> OriginFit:
        """Sample the posterior at one origin and map it to its own covariates.

        The draws stay plain arrays from the sampler to the forecast: no trace is built.
        """
        from forecast.model.sample import diagnose_arrays

        if self.backend == "numpyro":
            # a new shape's program is compiled first, and counted in compile_seconds; the
            # chains start at this origin's prior means (plus jitter), as a model built for it
            # would
            sampler, arrays = self._numpyro(data, draws, tune, chains)
            start = time.perf_counter()
            samples = sampler.sample(arrays, seed)
            values = {n: samples[n] for n in PARAMETERS if n in samples}
            diverging = samples["diverging"]
        else:
            start = time.perf_counter()
            # The PyMC model's own containers are updated too (move_start): the chains' initial
            # points follow this origin's priors, so a fit equals that of a model compiled for
            # it.
            idata = self.core.sample(
                model_inputs(pad(data, self.names)),
                draws=draws,
                tune=tune,
                chains=chains,
                seed=seed,
                cores=min(chains, 2),
                move_start=True,
                target_accept=refit_target_accept(data.announce is not None),
                coords={
                    "segment": np.arange(len(data.history.exposure)),
                    "summit": [s.id for s in data.venue_summits],
                    "outcome": np.arange(len(data.history.outcomes)),
                },
            )
            post = idata["posterior"].to_dataset()
            values = {
                n: post[n].transpose("chain", "draw", ...).values for n in PARAMETERS if n in post
            }
            diverging = idata["sample_stats"]["diverging"].values
        seconds = time.perf_counter() - start
        cols = [self.names.index(n) for n in data.history.names]
        # The origin's own parameters only: a padding column just samples its prior.
        values["beta"] = values["beta"][:, :, cols]

        def flat(name: str) -> np.ndarray:  # chain-major, as Draws.from_dataset
            v = np.asarray(values[name], dtype=float)
            return v.reshape(v.shape[0] * v.shape[1], *v.shape[2:])

        draws_ = Draws(**{n: flat(n) for n in values})
        return OriginFit(draws_, diagnose_arrays(values, diverging, seconds), seconds)
