import sys

import numpy as np
import pytest

from forecast.model.sample import _mp_context


def test_chains_fork_unless_nutpie_threads_may_be_running(monkeypatch):
    monkeypatch.delitem(sys.modules, "nutpie", raising=False)
    assert _mp_context() is None
    monkeypatch.setitem(sys.modules, "nutpie", object())
    assert _mp_context() == "forkserver"


@pytest.mark.slow
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
        assert fit.diagnostics["draws"] == 1000 and fit.diagnostics["chains"] == 2
        assert not fit.diagnostics["problems"]
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


def test_the_fast_tier_refuses_to_sample(june_data):
    """The guard in conftest: sampling in a test not marked slow fails it."""
    from forecast.model.compiled import CompiledModel
    from forecast.model.sample import sample

    with pytest.raises(AssertionError, match="samples but is not marked slow"):
        sample(june_data, draws=10, tune=10, chains=1, seed=0)
    with pytest.raises(AssertionError, match="samples but is not marked slow"):
        CompiledModel(None)
