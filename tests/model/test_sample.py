"""Sampling and its diagnostics: the backends, the chains' start method, the problems spelled
out, and the conftest guard that keeps the fast tier from sampling."""

import sys

import numpy as np
import pytest
import xarray as xr

from forecast.model.sample import diagnose, mp_context


def test_chains_fork_unless_nutpie_or_jax_threads_may_be_running(monkeypatch):
    monkeypatch.delitem(sys.modules, "nutpie", raising=False)
    monkeypatch.delitem(sys.modules, "jax", raising=False)
    assert mp_context() is None
    for name in ("nutpie", "jax"):
        monkeypatch.setitem(sys.modules, name, object())
        assert mp_context() == "forkserver"
        monkeypatch.delitem(sys.modules, name)


@pytest.mark.slow
@pytest.mark.pymc_nuts
def test_both_backends_sample_the_same_posterior(june_data):
    """pymc (the reference) and nutpie fit one model: every posterior mean agrees within
    Monte Carlo error, and each records nothing but what it was asked for."""
    import arviz_stats

    from forecast.model.sample import sample

    fits = {
        b: sample(june_data, draws=1000, tune=1000, chains=2, seed=7, backend=b)
        for b in ("pymc", "nutpie")
    }
    for fit in fits.values():
        d = fit.diagnostics
        assert d["draws"] == 1000 and d["chains"] == 2
        # The signal terms' weakly identified coefficients can cost PyMC's sampler an odd
        # divergent transition (2 of 2000 with this seed); anything else is a problem.
        assert d["divergences"] <= 0.005 * d["draws"] * d["chains"], d["problems"]
        assert not [p for p in d["problems"] if "divergent" not in p], d["problems"]
    a, b = (fits[k].idata["posterior"].to_dataset() for k in ("pymc", "nutpie"))
    for name in ("log_rate", "beta", "venue_asc", "venue_beta"):
        se_a = arviz_stats.mcse(a[name], method="mean").values
        se_b = arviz_stats.mcse(b[name], method="mean").values
        z = (a[name].mean(("chain", "draw")) - b[name].mean(("chain", "draw"))).values
        z = np.abs(z) / np.hypot(se_a, se_b)
        assert np.all(z < 4.5), (name, z.max())


def test_unknown_backend_is_refused(june_data):
    from forecast.model.sample import sample

    with pytest.raises(ValueError, match="unknown sampler backend 'stan'"):
        sample(june_data, draws=10, tune=10, chains=1, seed=0, backend="stan")


def test_the_tests_evaluate_pytensor_graphs_in_python():
    """The guard in conftest: graphs run in Python (no C compilation on a cold machine)..."""
    import pytensor

    assert pytensor.config.mode == "FAST_COMPILE"


@pytest.mark.pymc_nuts
def test_but_the_reference_sampler_tests_keep_the_default_mode():
    """... except in the tests of PyMC's own NUTS, which runs on the C graphs."""
    import pytensor

    assert pytensor.config.mode != "FAST_COMPILE"


def test_the_fast_tier_refuses_to_sample(june_data):
    """The guard in conftest: sampling in a test not marked slow fails it."""
    from forecast.model.compiled import CompiledModel
    from forecast.model.sample import sample

    for backend in ("numpyro", "pymc", "nutpie"):
        with pytest.raises(AssertionError, match="samples but is not marked slow"):
            sample(june_data, draws=10, tune=10, chains=1, seed=0, backend=backend)
    with pytest.raises(AssertionError, match="samples but is not marked slow"):
        CompiledModel(None)


def _fake_idata(diverging: int, split: bool, draws_per_chain: int = 100) -> xr.DataTree:
    rng = np.random.default_rng(0)
    shape = (2, draws_per_chain)
    draws = rng.normal(size=shape)
    if split:  # two chains in different places: R-hat far above 1.01
        draws[1] += 5
    post = xr.Dataset(
        {
            "log_rate": (("chain", "draw"), draws),
            "beta": (("chain", "draw", "covariate"), rng.normal(size=(*shape, 2))),
            "venue_asc": (("chain", "draw", "venue_alt"), rng.normal(size=(*shape, 4))),
            "venue_beta": (("chain", "draw", "venue_attr"), rng.normal(size=(*shape, 3))),
        }
    )
    div = np.zeros(shape, dtype=bool)
    div.flat[:diverging] = True
    stats = xr.Dataset({"diverging": (("chain", "draw"), div)})
    return xr.DataTree.from_dict({"posterior": post, "sample_stats": stats})


def test_sampling_problems_are_spelled_out():
    bad = diagnose(_fake_idata(diverging=3, split=True), seconds=1.0)
    assert bad["divergences"] == 3 and bad["rhat_max"] > 1.01
    text = "; ".join(bad["problems"])
    assert "3 divergent transitions" in text and "R-hat" in text and "bulk ESS" in text


def test_clean_sampling_has_no_problems():
    ok = diagnose(_fake_idata(diverging=0, split=False, draws_per_chain=2000), seconds=1.0)
    assert ok["divergences"] == 0 and ok["rhat_max"] <= 1.01
    assert ok["problems"] == []


def test_too_few_draws_is_flagged():
    short = diagnose(_fake_idata(diverging=0, split=False, draws_per_chain=50), seconds=1.0)
    assert any("bulk ESS" in p for p in short["problems"])  # 100 draws in all: below 400


def _trace(chains: int, draws: int, *, nan: bool = False) -> xr.DataTree:
    values = np.zeros((chains, draws))
    if nan:
        values[0, -1] = np.nan
    post = xr.Dataset({"log_rate": (("chain", "draw"), values)})
    return xr.DataTree.from_dict({"posterior": post})


@pytest.mark.parametrize(
    ("trace", "expected"),
    [
        (_trace(2, 509), "returned 2 of 2 chains and 509 of 3000 draws per chain"),
        (_trace(1, 3000), "returned 1 of 2 chains and 3000 of 3000 draws per chain"),
        (_trace(2, 3000, nan=True), "non-finite draws of log_rate"),
        (xr.DataTree(), "no posterior draws"),
    ],
    ids=["interrupted", "chain-dropped", "nan", "empty"],
)
def test_a_partial_trace_is_refused(trace, expected):
    """PyMC returns what it has when sampling stops early (Ctrl-C): never forecast from it."""
    from forecast.errors import RunFailed
    from forecast.model.sample import SamplingIncomplete, check_complete

    with pytest.raises(SamplingIncomplete, match=expected) as info:
        check_complete(trace, chains=2, draws=3000)
    assert isinstance(info.value, RunFailed)


def test_a_complete_trace_passes():
    from forecast.model.sample import check_complete

    check_complete(_trace(2, 3000), chains=2, draws=3000)
