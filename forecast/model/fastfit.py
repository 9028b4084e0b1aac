"""Fixed sampler settings and thinning for the simulation checks' many fits of one model.

Simulation checks fit the same model to hundreds of simulated data sets (:func:`fast_fit`
gives the fitter: :class:`JaxFit`, numpyro's NUTS, by default; :class:`FastFit`, nutpie, as
the reference). Building and compiling a
PyMC model for each of them costs about 18 s per fit on this machine (PyTensor compiles a new
graph for every new observed array). Compiling once (:class:`forecast.model.compiled.CompiledModel`,
8-40 s depending on the load) and swapping new values into the ``pm.Data`` containers costs
about 0.2-0.4 s per fit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import xarray as xr

from forecast.model.compiled import CompiledModel


@dataclass(kw_only=True)
class Fitter:
    """What the simulation checks' fitters share: their sampler settings, the thinning and the
    running counts; each subclass samples in :meth:`fit`.

    Parameters
    ----------
    draws, tune, chains : int
        Sampler settings for every fit (NUTS with diagonal mass-matrix adaptation).
    thin : int
        Keep every ``thin``-th draw, so that the kept draws are close to independent (SBC ranks
        assume independent posterior draws).
    """

    draws: int = 400
    tune: int = 300
    chains: int = 2
    thin: int = 4
    fits: int = field(init=False, default=0)
    divergences: int = field(init=False, default=0)
    #: The sampler, as the simulation checks' settings and summaries name it.
    description = ""

    @property
    def kept_draws(self) -> int:
        """Posterior draws kept per fit (over all chains), the largest possible SBC rank."""
        return self.chains * len(range(0, self.draws, self.thin))

    def fit(self, updates: Mapping[str, np.ndarray], seed: int) -> xr.DataTree:
        """Sample the model with ``updates``; a ``DataTree`` with a posterior group."""
        raise NotImplementedError

    def posterior_samples(self, updates: Mapping[str, np.ndarray], seed: int) -> xr.Dataset:
        """Thinned posterior draws of one fit, chains and draws stacked into ``sample``."""
        post = self.fit(updates, seed)["posterior"].to_dataset()
        post = post.isel(draw=slice(None, None, self.thin))
        # no MultiIndex: simuk selects draws one by one, and isel on a MultiIndex is ~30x slower
        return post.stack(sample=("chain", "draw"), create_index=False).transpose("sample", ...)


@dataclass
class FastFit(Fitter):
    """NUTS fits of one compiled model with nutpie, each with new values for some of its
    ``pm.Data`` (the reference fitter).

    Parameters
    ----------
    model : pymc.Model
        The model; everything that changes between fits must be a ``pm.Data`` container.
    draws, tune, chains, thin : int
        As :class:`Fitter`'s (keyword only).
    """

    model: object
    _core: CompiledModel = field(init=False, repr=False)
    description = "nutpie (numba backend), compiled once, data swapped per simulation"

    def __post_init__(self) -> None:
        self._core = CompiledModel(self.model)

    @property
    def compile_seconds(self) -> float:
        """Seconds spent compiling the model (once)."""
        return round(self._core.compile_seconds, 2)

    def fit(self, updates: Mapping[str, np.ndarray], seed: int) -> xr.DataTree:
        """Sample the model with ``updates`` (keyed by data *or* observed-variable name).

        Every fit starts from the data the model was built with; only ``updates`` differ. The
        chains' initial points (prior means plus jitter) come from the model as built, so
        swapped priors change the posterior sampled, not where the chains start.

        Returns nutpie's ``DataTree`` (all draws); the fit's divergent transitions are added to
        :attr:`divergences`.
        """
        trace = self._core.sample(
            updates, draws=self.draws, tune=self.tune, chains=self.chains, seed=seed, cores=1
        )
        self.fits += 1
        self.divergences += int(trace["sample_stats"]["diverging"].sum())
        return trace


@dataclass
class JaxFit(Fitter):
    """:class:`FastFit`'s fits with numpyro's NUTS (:mod:`forecast.model.jaxnuts`), the
    default refit sampler: the same interface and settings, one compiled program (loaded from
    the persistent cache in a later process) whatever the simulated data or swapped priors.

    Parameters
    ----------
    data : ModelData
        The model's inputs; every fit replaces some of them (see :meth:`fit`).
    draws, tune, chains, thin : int
        As :class:`Fitter`'s (keyword only).
    """

    data: object
    compile_seconds: float = field(init=False, default=0.0)
    description = "numpyro's NUTS (JAX), compiled once, data swapped per simulation"

    def __post_init__(self) -> None:
        import time

        from forecast.model.backends import refit_target_accept
        from forecast.model.jaxmodel import model_arrays
        from forecast.model.jaxnuts import JaxSampler

        start = time.perf_counter()
        self._arrays = model_arrays(self.data)
        self._sampler = JaxSampler(
            draws=self.draws,
            tune=self.tune,
            chains=self.chains,
            target_accept=refit_target_accept(self._arrays.announce),
        )
        self._sampler.warm(self._arrays)
        self.compile_seconds = round(time.perf_counter() - start, 2)

    def _arrays_with(self, updates: Mapping[str, np.ndarray]):
        from dataclasses import replace

        from forecast.model.build import OBSERVED
        from forecast.model.jaxmodel import ANNOUNCE_KEYS, PRIOR_KEYS

        a = self._arrays
        fields: dict = {}
        priors = dict(a.priors)
        for name, value in updates.items():
            target = OBSERVED.get(name, name)
            value = np.asarray(value)
            if target in ("events", "log_exposure", "venue_choice"):
                padded = np.zeros_like(getattr(a, target))
                padded[: len(value)] = value
                fields[target] = padded
            elif target in PRIOR_KEYS + ANNOUNCE_KEYS:
                priors[target] = np.asarray(value, dtype=float)
            else:
                raise KeyError(f"{name!r} is neither a swappable input nor an observed variable")
        return replace(a, **fields, priors=priors)

    def fit(self, updates: Mapping[str, np.ndarray], seed: int) -> xr.DataTree:
        """Sample the model with ``updates``: simulated ``events``/``summit_counts``,
        ``venue_choice``/``venue_obs`` or ``log_exposure`` (the history's own length), or
        prior means and sds keyed as :func:`forecast.model.build.prior_arrays`. The chains
        start at the model's own prior means (plus jitter), as :class:`FastFit`'s do.

        Returns the posterior and sample_stats groups of a ``DataTree`` (kept draws only).
        """
        from forecast.model.jaxnuts import initial_points, to_datatree

        arrays = self._arrays_with(updates)
        init = initial_points(self._arrays.priors, self.chains, seed, arrays.announce)
        samples = self._sampler.sample(arrays, seed, init=init)
        self.fits += 1
        self.divergences += int(samples["diverging"].sum())
        return to_datatree(samples, self.data)


def fast_fit(data, backend: str | None = None) -> Fitter:
    """The simulation checks' fitter for ``data``'s model: :class:`JaxFit` with the default
    refit backend (numpyro), :class:`FastFit` with ``backend="nutpie"``."""
    from forecast.model.backends import REFIT_BACKEND

    backend = backend or REFIT_BACKEND
    if backend == "numpyro":
        return JaxFit(data)
    if backend == "nutpie":
        from forecast.model.build import build_model

        return FastFit(build_model(data))
    raise ValueError(f"unknown refit backend {backend!r}; expected numpyro or nutpie")
