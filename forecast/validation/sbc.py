"""Prior simulation-based calibration (SBC) of the model with :mod:`simuk`.

Talts et al. (2020): draw parameters from the prior, simulate data from them, fit the model to
the simulated data and record the rank of each true value among the posterior draws. If the
simulator, the model and the sampler agree, every rank is uniform on ``0 .. L`` (``L`` kept
posterior draws). The data sets are simulated on the real historical segments of a scenario
(its covariate path, exposures and venue alternatives), so the check is made where the model is
used.

simuk draws the prior and prior-predictive samples, computes the ranks and packs them into a
``DataTree``; the only part replaced is how one simulation is fitted: simuk 0.3 rebuilds and
recompiles the PyMC model for every simulation (about 18 s each here), while
the fitters of :mod:`forecast.model.fastfit` compile once and swap the simulated data in.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr

from forecast.design.prepare import ModelData
from forecast.model.fastfit import Fitter, fast_fit

ALPHA = 0.05
"""Family-wise level of the uniformity tests (Bonferroni over all scalar parameters)."""


def simuk_sbc(model, fit: Callable[[dict, int], xr.Dataset], **kwargs):
    """A :class:`simuk.SBC` that fits each simulation with ``fit(data, seed)``.

    simuk 0.3 fits a simulation in ``_get_posterior_samples(replicated_data)`` (``pm.observe``
    and ``pm.sample`` on a rebuilt model) and expects the draws stacked into a ``sample``
    dimension; that one method is replaced, the rest (prior and prior-predictive draws, seeds,
    ranks, the ``DataTree``) is simuk's.
    """
    import simuk

    for method in ("_get_posterior_samples", "_compute_single_rank"):
        if not callable(getattr(simuk.SBC, method, None)):
            raise RuntimeError(
                f"simuk {simuk.__version__} has no SBC.{method} any more; "
                "forecast.validation.sbc must be updated"
            )

    class _FastSBC(simuk.SBC):
        def __init__(self, *args, **kw):
            super().__init__(*args, **kw)
            self._identity = self._transform  # simuk's own: no transform was given

        def _get_posterior_samples(self, replicated_data):
            return fit(replicated_data, int(self._seeds[self._simulations_complete]))

        def _compute_single_rank(self, simulation_idx, posterior, transform):
            # simuk ranks a PyMC fit draw by draw (one isel per draw and parameter, most of a
            # simulation's time after the fit); with its identity transform that is this one
            # comparison of the whole (sample, ...) array with the true value
            if transform is not self._identity or "sample" not in posterior.dims:
                return super()._compute_single_rank(simulation_idx, posterior, transform)
            for name in self.var_names:
                draws = posterior[name].transpose("sample", ...).values
                truth = self.ref_params[name].isel(sample=simulation_idx).values
                self.simulations[name].append((draws < truth).sum(axis=0))

    return _FastSBC(model, **kwargs)


@dataclass
class SBCResult:
    """Ranks, uniformity tests and timings of one SBC run."""

    ranks: xr.Dataset  # dims ("simulation", parameter dims); values 0 .. max_rank
    max_rank: int
    pit: xr.Dataset  # randomised PIT values (rank + U) / (max_rank + 1), uniform under the null
    p_values: dict[str, float]  # "beta[war]" -> pot_c p-value
    alpha: float
    sims: int
    seed: int
    settings: dict
    seconds: dict[str, float]
    divergences: int

    @property
    def threshold(self) -> float:
        """Per-parameter level: ``alpha`` divided by the number of tests (Bonferroni)."""
        return self.alpha / len(self.p_values)

    @property
    def failed(self) -> list[str]:
        """Parameters whose ranks fail the uniformity test at the family-wise level."""
        return [k for k, p in self.p_values.items() if p < self.threshold]

    def to_dict(self) -> dict:
        """Plain data for ``sbc.json`` (ranks included, so the figure can be redrawn)."""
        return {
            "method": "prior SBC (Talts et al. 2020) with simuk; ranks tested with pot_c",
            "simulations": self.sims,
            "seed": self.seed,
            "max_rank": self.max_rank,
            "settings": self.settings,
            "alpha_familywise": self.alpha,
            "threshold_per_parameter": self.threshold,
            "p_values": self.p_values,
            "failed": self.failed,
            "divergences": self.divergences,
            "seconds": self.seconds,
            "ranks": {k: _flat(self.ranks[k]) for k in self.ranks.data_vars},
        }


def _flat(da: xr.DataArray) -> dict | list:
    """Ranks per scalar parameter: a list for a scalar, ``{label: list}`` for a vector."""
    other = [d for d in da.dims if d != "simulation"]
    if not other:
        return da.values.astype(int).tolist()
    (dim,) = other
    return {str(c): da.sel({dim: c}).values.astype(int).tolist() for c in da[dim].values}


def scalar_labels(ds: xr.Dataset) -> list[tuple[str, str, object]]:
    """``(label, variable, coordinate)`` for each scalar parameter, e.g. ``beta[war]``."""
    out = []
    for name, da in ds.data_vars.items():
        other = [d for d in da.dims if d != "simulation"]
        if not other:
            out.append((name, name, None))
        else:
            (dim,) = other
            out.extend((f"{name}[{c}]", name, {dim: c}) for c in da[dim].values)
    return out


def relabel(prior_sbc: xr.Dataset, model) -> xr.Dataset:
    """simuk's ranks carry ``<name>_dim_0`` dims and a (chain, draw) pair; use the model's."""
    out = {}
    for name, da in prior_sbc.data_vars.items():
        da = da.isel(chain=0, drop=True).rename(draw="simulation")
        dims = model.named_vars_to_dims.get(name) or ()
        for i, dim in enumerate(dims):
            da = da.rename({f"{name}_dim_{i}": dim}).assign_coords({dim: list(model.coords[dim])})
        out[name] = da.drop_vars([c for c in da.coords if c not in da.dims])
    return xr.Dataset(out)


def uniformity_p_values(pit: xr.Dataset) -> dict[str, float]:
    """ArviZ's ``pot_c`` uniformity test of each scalar parameter's PIT values."""
    import arviz_stats  # noqa: F401  (registers the .azstats accessor)

    p, _, _ = pit.azstats.uniformity_test(dim="simulation", method="pot_c")
    return {label: float(p[var].sel(sel or {})) for label, var, sel in scalar_labels(pit)}


def run_sbc(
    data: ModelData,
    *,
    sims: int = 100,
    seed: int = 20260226,
    alpha: float = ALPHA,
    fit_priors: ModelData | None = None,
    fitter: Fitter | None = None,
    progress: bool = False,
) -> SBCResult:
    """Run prior SBC of the model built on ``data``'s historical segments.

    Parameters
    ----------
    data : ModelData
        Supplies the priors the parameters are drawn from and the covariate history, exposures
        and venue alternatives the counts and venues are simulated on.
    sims : int
        Number of simulations (each one prior draw, one simulated record, one fit).
    seed : int
        Seeds the prior draws, the simulations, every fit and the PIT randomisation.
    alpha : float
        Family-wise level of the per-parameter uniformity tests (Bonferroni).
    fit_priors : ModelData, optional
        Fit with this ModelData's priors instead of ``data``'s (the priors are ``pm.Data`` and
        are swapped in). Used to show that SBC detects a fit whose priors differ from the ones
        the data were simulated from.
    fitter : Fitter, optional
        A fitter of ``data``'s model, compiled once (sampler settings included); default:
        :func:`fast_fit` (numpyro) with its default settings.
    progress : bool
        Show simuk's progress bar (one step per simulation) on stderr.

    Returns
    -------
    SBCResult
    """
    from forecast.model.build import build_model, prior_arrays

    model = build_model(data)
    if fitter is None:
        fitter = fast_fit(data)
    start = time.perf_counter()
    divergences_before = fitter.divergences
    swap = prior_arrays(fit_priors) if fit_priors is not None else {}

    sbc = simuk_sbc(
        model,
        lambda replicated, fit_seed: fitter.posterior_samples({**replicated, **swap}, fit_seed),
        num_simulations=sims,
        seed=seed,
        progress_bar=progress,
    )
    sbc.run_simulations()
    if sbc._simulations_complete != sims:  # simuk logs the error and stops early
        raise RuntimeError(
            f"SBC stopped after {sbc._simulations_complete} of {sims} simulations; "
            "see the traceback above"
        )
    ranks = relabel(sbc.simulations["prior_sbc"].to_dataset(), model)
    max_rank = fitter.kept_draws
    rng = np.random.default_rng(seed)
    pit = ranks.map(lambda r: (r + rng.uniform(size=r.shape)) / (max_rank + 1))
    return SBCResult(
        ranks=ranks,
        max_rank=max_rank,
        pit=pit,
        p_values=uniformity_p_values(pit),
        alpha=alpha,
        sims=sims,
        seed=seed,
        settings={
            "sampler": fitter.description,
            "draws": fitter.draws,
            "tune": fitter.tune,
            "chains": fitter.chains,
            "thin": fitter.thin,
            "segments": int(len(data.history.exposure)),
            "venue_observations": int(len(data.venue_choice)),
            "history": [str(data.history.start[0]), str(data.history.end[-1])],
        },
        seconds={
            "compile_model_once": fitter.compile_seconds,
            "simulate_and_fit": round(time.perf_counter() - start, 2),
        },
        divergences=fitter.divergences - divergences_before,
    )
