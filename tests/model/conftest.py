"""Fixtures of the model tests."""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr


@pytest.fixture(scope="module")
def model(june_data):
    """june-anniversary's PyMC model, built once per test module."""
    from forecast.model.build import build_model

    return build_model(june_data)


def _fake_fit(data, draws: int = 50, seed: int = 0):
    from forecast.model.sample import Fit, diagnose, prior_draws

    post = xr.concat([prior_draws(data, draws, seed + c) for c in range(2)], dim="chain")
    post = post.assign_coords(chain=[0, 1])
    stats = xr.Dataset({"diverging": (("chain", "draw"), np.zeros((2, draws), dtype=bool))})
    idata = xr.DataTree.from_dict({"posterior": post, "sample_stats": stats})
    return Fit(idata=idata, diagnostics=diagnose(idata, 0.25))


@pytest.fixture(scope="session")
def fake_fit():
    """``fake_fit(data, draws=50, seed=0)``: a Fit of two chains of prior draws (no MCMC)."""
    return _fake_fit


@pytest.fixture
def counted_sampler(monkeypatch, june_data):
    """``forecast.model.sample.sample`` replaced by prior draws; ``calls`` counts the fits."""
    calls = []

    def fake(data, **settings):
        calls.append(settings)
        return _fake_fit(data, seed=settings["seed"])

    monkeypatch.setattr("forecast.model.sample.sample", fake)
    return calls


@pytest.fixture
def program_store(monkeypatch, tmp_path):
    """The user cache in ``tmp_path``; returns ``export``, a counting exporter of x -> 2x + 1."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    import jax

    calls = []

    def export():
        calls.append(1)
        return jax.export.export(jax.jit(lambda x: 2.0 * x + 1.0))(np.zeros(3))

    export.calls = calls
    return export
