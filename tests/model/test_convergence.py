"""model.convergence: the NumPy port of arviz-stats' R-hat, bulk/tail ESS and MCSE of the mean
gives its numbers."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from forecast.model.convergence import ess_bulk, ess_tail, mcse_mean, rhat_rank


def _chains(kind: str, rng: np.random.Generator) -> np.ndarray:
    if kind == "normal":
        return rng.normal(size=(4, 500))
    if kind == "autocorrelated":  # AR(1) chains, one of them shifted: R-hat well above 1
        noise = rng.normal(size=(4, 300))
        out = np.zeros_like(noise)
        for t in range(1, 300):
            out[:, t] = 0.9 * out[:, t - 1] + noise[:, t]
        out[2] += 1.5
        return out
    if kind == "ties":  # rounded draws: many tied ranks
        return np.round(rng.normal(size=(2, 401)), 1)
    if kind == "one-chain":
        return rng.standard_t(3, size=(1, 200))
    if kind == "constant":
        return np.full((2, 100), 0.25)
    if kind == "short":
        return rng.normal(size=(2, 3))
    raise ValueError(kind)


@pytest.mark.parametrize(
    "kind", ["normal", "autocorrelated", "ties", "one-chain", "constant", "short"]
)
def test_matches_arviz_stats(kind):
    from arviz_stats.base import array_stats

    ary = _chains(kind, np.random.default_rng(11))
    with np.errstate(invalid="ignore", divide="ignore"):  # constant draws: R-hat is NaN
        pairs = [
            (rhat_rank(ary), array_stats.rhat(ary, method="rank")),
            (ess_bulk(ary), array_stats.ess(ary, method="bulk")),
            (ess_tail(ary), array_stats.ess(ary, method="tail", prob=0.89)),
            (mcse_mean(ary), array_stats.mcse(ary, method="mean")),
        ]
    for ours, ref in pairs:
        np.testing.assert_allclose(ours, float(ref), rtol=1e-12, equal_nan=True)


def test_the_tail_probability_is_arviz_stats_default():
    """``arviz_stats.ess(method="tail")`` without ``prob`` uses ``stats.ci_prob``; diagnose
    must report that same number."""
    import arviz_stats
    from arviz_base import rcParams

    from forecast.model.convergence import TAIL_PROB

    assert rcParams["stats.ci_prob"] == TAIL_PROB
    rng = np.random.default_rng(5)
    data = xr.Dataset({"x": (("chain", "draw"), rng.standard_t(2, size=(3, 400)))})
    ref = float(arviz_stats.ess(data, method="tail")["x"])
    assert ess_tail(data["x"].values) == pytest.approx(ref, rel=1e-12)


def test_diagnose_gives_arviz_stats_extremes():
    """diagnose's maximum R-hat and minimum ESS over every parameter are what arviz-stats' own
    Dataset functions give (the way diagnose computed them before the port)."""
    import arviz_stats

    from forecast.model.sample import diagnose

    rng = np.random.default_rng(2)
    shape = (4, 250)
    post = xr.Dataset(
        {
            "log_rate": (("chain", "draw"), rng.normal(size=shape)),
            "beta": (("chain", "draw", "covariate"), rng.normal(size=(*shape, 3)).cumsum(1)),
            "venue_asc": (("chain", "draw", "venue_alt"), rng.normal(size=(*shape, 4))),
            "venue_beta": (("chain", "draw", "venue_attr"), np.zeros((*shape, 0))),
        }
    )
    stats = xr.Dataset({"diverging": (("chain", "draw"), np.zeros(shape, dtype=bool))})
    got = diagnose(xr.DataTree.from_dict({"posterior": post, "sample_stats": stats}), 1.0)
    params = ["log_rate", "beta", "venue_asc"]  # the empty venue_beta is left out
    sub = post[params]
    rhat, bulk = arviz_stats.rhat(sub), arviz_stats.ess(sub, method="bulk")
    tail = arviz_stats.ess(sub, method="tail")
    assert got["rhat_max"] == pytest.approx(max(float(rhat[v].max()) for v in params), rel=1e-12)
    assert got["ess_bulk_min"] == pytest.approx(min(float(bulk[v].min()) for v in params), 1e-12)
    assert got["ess_tail_min"] == pytest.approx(min(float(tail[v].min()) for v in params), 1e-12)
    assert got["rhat_max"] > 1.01  # the random walks of beta do not mix


@pytest.mark.parametrize("func", [rhat_rank, ess_bulk, ess_tail])
def test_every_scalar_at_once_is_each_scalar_alone(func):
    """The diagnostics of a (chain, draw, ...) array are computed together (the FFTs and
    ranks of every scalar in one call); each is what the scalar's own (chain, draw) array
    gives, a NaN or a constant scalar included, and the trailing shape is kept."""
    rng = np.random.default_rng(4)
    values = rng.normal(size=(4, 200, 2, 3)).cumsum(axis=1)
    values[..., 0, 1] = np.round(values[..., 0, 1], 0)  # ties
    values[..., 1, 0] = 0.5  # constant
    values[0, 7, 1, 2] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        together = func(values)
        alone = np.array([[func(values[:, :, i, j]) for j in range(3)] for i in range(2)])
    assert together.shape == (2, 3)
    np.testing.assert_allclose(together, alone, rtol=1e-12, equal_nan=True)
    assert np.isnan(together[1, 2]) and np.isfinite(together[0, 1])


@pytest.mark.parametrize("chains", [4, 1])
def test_diagnostics_of_every_scalar_at_once_are_each_scalars_own(chains):
    """diagnostics ranks the split chains once for R-hat and bulk ESS and batches every
    scalar; each key is what the scalar's own (chain, draw) array gives (NaN R-hat for one
    chain, a NaN scalar NaN throughout)."""
    from forecast.model.convergence import diagnostics

    rng = np.random.default_rng(9)
    values = rng.normal(size=(chains, 150, 5)).cumsum(axis=1)
    values[..., 1] = np.round(values[..., 1], 0)
    values[..., 2] = -1.0
    values[0, 3, 4] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        got = diagnostics(values)
        alone = [diagnostics(values[:, :, j]) for j in range(5)]
    for key in ("rhat", "ess_bulk", "ess_tail"):
        want = np.array([a[key] for a in alone])
        np.testing.assert_allclose(got[key], want, rtol=1e-12, equal_nan=True)
    assert np.isnan(got["rhat"]).all() == (chains == 1)
    assert np.isnan(got["ess_bulk"][4]) and np.isfinite(got["ess_bulk"][:4]).all()
