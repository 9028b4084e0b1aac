"""Fixed sampler settings and thinning for the simulation checks' many fits of one model.

Simulation checks fit the same model to hundreds of simulated data sets. Building and compiling a
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


@dataclass
class FastFit:
    """NUTS fits of one compiled model, each with new values for some of its ``pm.Data``.

    Parameters
    ----------
    model : pymc.Model
        The model; everything that changes between fits must be a ``pm.Data`` container.
    draws, tune, chains : int
        Sampler settings for every fit (nutpie's NUTS with diagonal mass-matrix adaptation).
    thin : int
        Keep every ``thin``-th draw, so that the kept draws are close to independent (SBC ranks
        assume independent posterior draws).
    """

    model: object
    draws: int = 400
    tune: int = 300
    chains: int = 2
    thin: int = 4
    fits: int = field(init=False, default=0)
    divergences: int = field(init=False, default=0)
    _core: CompiledModel = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._core = CompiledModel(self.model)

    @property
    def compile_seconds(self) -> float:
        """Seconds spent compiling the model (once)."""
        return round(self._core.compile_seconds, 2)

    @property
    def kept_draws(self) -> int:
        """Posterior draws kept per fit (over all chains), the largest possible SBC rank."""
        return self.chains * len(range(0, self.draws, self.thin))

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

    def posterior_samples(self, updates: Mapping[str, np.ndarray], seed: int) -> xr.Dataset:
        """Thinned posterior draws of one fit, chains and draws stacked into ``sample``."""
        post = self.fit(updates, seed)["posterior"].to_dataset()
        post = post.isel(draw=slice(None, None, self.thin))
        # no MultiIndex: simuk selects draws one by one, and isel on a MultiIndex is ~30x slower
        return post.stack(sample=("chain", "draw"), create_index=False).transpose("sample", ...)
