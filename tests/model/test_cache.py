"""The posterior cache: keys that change with every input, verified reads, and ``run``'s use of
it (a hit samples nothing, a miss or a damaged entry samples and stores, ``--no-cache``
bypasses it). Sampling is replaced by prior draws, so nothing here runs MCMC."""

from __future__ import annotations

import json

import numpy as np
import pytest

from forecast.model import cache as cache_mod
from forecast.model.cache import PosteriorCache, cached_fit, posterior_key

SETTINGS = dict(draws=100, tune=100, chains=2, seed=3, target_accept=0.9, backend="numpyro")


def test_the_key_changes_with_every_input(monkeypatch):
    base = posterior_key("s" * 64, "d" * 64, SETTINGS)
    assert base == posterior_key("s" * 64, "d" * 64, dict(SETTINGS))
    others = [
        posterior_key("t" * 64, "d" * 64, SETTINGS),
        posterior_key("s" * 64, "e" * 64, SETTINGS),
        *(
            posterior_key("s" * 64, "d" * 64, {**SETTINGS, k: v})
            for k, v in dict(
                draws=101, tune=99, chains=3, seed=4, target_accept=0.95, backend="pymc"
            ).items()
        ),
    ]
    monkeypatch.setattr(cache_mod, "__version__", "9.9.9")
    others.append(posterior_key("s" * 64, "d" * 64, SETTINGS))
    monkeypatch.setattr(cache_mod, "code_sha256", lambda: "0" * 64)
    others.append(posterior_key("s" * 64, "d" * 64, SETTINGS))
    assert len({base, *others}) == len(others) + 1


def test_the_cache_lives_in_the_user_cache_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_mod.cache_dir() == tmp_path / "summit-forecast"
    assert PosteriorCache().root == tmp_path / "summit-forecast" / "posteriors"


def test_an_entry_reads_back_as_written(tmp_path, june_data, fake_fit):
    fit = fake_fit(june_data)
    store = PosteriorCache(tmp_path)
    store.save("k", fit.idata, fit.diagnostics)
    hit = store.load("k")
    assert hit is not None and hit.diagnostics == fit.diagnostics
    for name in ("log_rate", "beta", "venue_asc"):
        np.testing.assert_array_equal(
            hit.idata["posterior"][name].values, fit.idata["posterior"][name].values
        )
    assert store.load("other") is None


@pytest.mark.parametrize("damage", ["flip a byte", "truncate", "wrong key", "no record"])
def test_a_damaged_entry_is_refused_and_removed(tmp_path, june_data, damage, fake_fit):
    fit = fake_fit(june_data)
    store = PosteriorCache(tmp_path)
    nc = store.save("k", fit.idata, fit.diagnostics)
    meta = nc.with_suffix(".json")
    if damage == "flip a byte":
        raw = bytearray(nc.read_bytes())
        raw[len(raw) // 2] ^= 0xFF
        nc.write_bytes(bytes(raw))
    elif damage == "truncate":
        nc.write_bytes(nc.read_bytes()[:100])
    elif damage == "wrong key":
        meta.write_text(json.dumps({**json.loads(meta.read_text()), "key": "other"}))
    else:
        meta.unlink()
    assert store.load("k") is None
    assert not nc.exists() and not meta.exists()


def test_cached_fit_samples_once_then_hits(tmp_path, june_data, counted_sampler):
    store = PosteriorCache(tmp_path)
    settings = dict(SETTINGS)
    first = cached_fit(june_data, key="k", cores=None, cache=store, **settings)
    second = cached_fit(june_data, key="k", cores=None, cache=store, **settings)
    assert len(counted_sampler) == 1
    np.testing.assert_array_equal(
        first.idata["posterior"]["beta"].values, second.idata["posterior"]["beta"].values
    )
    cached_fit(june_data, key=None, cores=None, cache=store, **settings)  # bypass
    assert len(counted_sampler) == 2


def test_run_reuses_the_posterior_unless_an_input_changes(
    tmp_path, june_path, counted_sampler, user_cache
):
    from forecast.pipeline import run

    def go(name: str, **kw):
        return run(june_path, tmp_path / name, report=False, draws=50, chains=2, **kw)

    first = go("a", seed=11)
    assert len(counted_sampler) == 1
    again = go("b", seed=11)
    assert len(counted_sampler) == 1  # a hit: nothing sampled
    assert again.document.headline == first.document.headline
    assert again.document.effects == first.document.effects
    go("c", seed=12)  # another seed is another posterior
    assert len(counted_sampler) == 2
    go("d", seed=11, cache=False)  # --no-cache: sampled again, even though an entry exists
    assert len(counted_sampler) == 3


def test_a_corrupted_entry_is_recomputed_and_stored_again(tmp_path, june_data, counted_sampler):
    store = PosteriorCache(tmp_path)
    settings = dict(SETTINGS)
    first = cached_fit(june_data, key="k", cores=None, cache=store, **settings)
    (tmp_path / "k.nc").write_bytes(b"not a netCDF file")
    again = cached_fit(june_data, key="k", cores=None, cache=store, **settings)
    assert len(counted_sampler) == 2  # refused, sampled again ...
    cached_fit(june_data, key="k", cores=None, cache=store, **settings)
    assert len(counted_sampler) == 2  # ... and stored again, intact
    np.testing.assert_array_equal(
        first.idata["posterior"]["beta"].values, again.idata["posterior"]["beta"].values
    )


def test_no_cache_reaches_run(monkeypatch, june_path, tmp_path):
    from forecast.cli.main import main

    seen = {}

    class Stop(Exception):
        pass

    def fake_run(*args, **kwargs):
        seen.update(kwargs)
        raise Stop

    monkeypatch.setattr("forecast.pipeline.run", fake_run)
    for argv, expected in (([], True), (["--no-cache"], False)):
        with pytest.raises(Stop):
            main(["run", str(june_path), "--out", str(tmp_path / "x"), *argv])
        assert seen["cache"] is expected
