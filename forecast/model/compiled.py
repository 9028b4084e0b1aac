"""One PyMC model compiled once by nutpie and refitted many times with new ``pm.Data`` values.

The backtest fits the model at every origin and the simulation checks fit it to hundreds of
simulated records. Building and compiling a PyMC model for each costs seconds to tens of
seconds; compiling once with nutpie's numba backend and swapping new values into the model's
``pm.Data`` containers costs a fraction of a second per fit. Everything that changes between
fits (data, and the priors' means and sds, see :func:`forecast.model.build.prior_arrays`) must be a
``pm.Data`` container; the number of parameters may not change.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping

import numpy as np
import xarray as xr


class CompiledModel:
    """A PyMC model compiled once with nutpie (numba backend).

    Parameters
    ----------
    model : pymc.Model
        The model; what changes between fits must live in ``pm.Data`` containers.
    """

    def __init__(self, model) -> None:
        import nutpie

        for name in ("pymc", "numba", "nutpie"):
            logging.getLogger(name).setLevel(logging.ERROR)
        start = time.perf_counter()
        self.model = model
        self._compiled = nutpie.compile_pymc_model(model, backend="numba")
        self.compile_seconds = time.perf_counter() - start
        self._observed = observed_data_names(model)
        self._dtypes = {
            v.name: v.get_value().dtype for v in model.data_vars if hasattr(v, "get_value")
        }

    def sample(
        self,
        updates: Mapping[str, np.ndarray],
        *,
        draws: int,
        tune: int,
        chains: int,
        seed: int,
        cores: int = 1,
        move_start: bool = False,
        coords: Mapping[str, object] | None = None,
        target_accept: float | None = None,
        progress: bool = False,
    ) -> xr.DataTree:
        """Sample with ``updates`` (keyed by ``pm.Data`` *or* observed-variable name).

        Parameters
        ----------
        updates
            New values; containers not named keep the values the model was built with.
        draws, tune, chains, seed, cores, target_accept
            nutpie's sampler settings (``target_accept`` None: nutpie's default).
        move_start
            Also write the values into the PyMC model itself, so that the chains' initial points
            (prior means plus jitter) follow swapped priors; then a fit equals that of a model
            built and compiled for these values. ``coords`` gives the new lengths of any
            dimension whose size changes.
        progress
            Show nutpie's own progress bar.

        Returns
        -------
        xarray.DataTree
            nutpie's trace (posterior and sample_stats).
        """
        import nutpie

        data = {}
        for name, value in updates.items():
            target = self._observed.get(name, name)
            if target not in self._dtypes:
                raise KeyError(f"{name!r} is neither a pm.Data container nor an observed variable")
            data[target] = np.asarray(value).astype(self._dtypes[target], copy=False)
        if move_start:
            import pymc as pm

            pm.set_data(data, model=self.model, coords=dict(coords or {}))
        extra = {} if target_accept is None else {"target_accept": float(target_accept)}
        return nutpie.sample(
            self._compiled.with_data(**data),
            draws=draws,
            tune=tune,
            chains=chains,
            cores=cores,
            seed=int(seed),
            progress_bar=progress,
            **extra,
        )


def observed_data_names(model) -> dict[str, str]:
    """Map each observed variable to the name of the ``pm.Data`` container holding its values."""
    from pytensor.graph.traversal import graph_inputs

    out = {}
    for rv in model.observed_RVs:
        # PyMC may wrap the container, e.g. in a cast to the distribution's dtype
        shared = [v for v in graph_inputs([model.rvs_to_values[rv]]) if hasattr(v, "get_value")]
        if len(shared) != 1:
            raise ValueError(f"observed variable {rv.name!r} is not backed by one pm.Data")
        out[rv.name] = shared[0].name
    return out
