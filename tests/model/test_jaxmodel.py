"""The model in JAX: inputs padded to their buckets and masked, and the same log density as
the PyMC model."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.model.jaxmodel import SEGMENT_BUCKET, SUMMIT_BUCKET, model_arrays


def test_inputs_are_padded_to_buckets_and_masked(june_data):
    a = model_arrays(june_data)
    n_seg, n_sum = len(june_data.history.exposure), len(june_data.venue_choice)
    assert a.Xt.shape[1] % SEGMENT_BUCKET == 0 and a.Xt.shape[1] >= n_seg
    assert a.venue_attrs.shape[0] % SUMMIT_BUCKET == 0 and a.venue_attrs.shape[0] >= n_sum
    assert a.segment_mask.sum() == n_seg and np.all(a.segment_mask[:n_seg] == 1)
    assert a.summit_mask.sum() == n_sum and np.all(a.summit_mask[:n_sum] == 1)
    np.testing.assert_array_equal(a.Xt[:, :n_seg], june_data.history.X.T)
    np.testing.assert_array_equal(a.events[:n_seg], june_data.history.events)
    assert np.all(a.events[n_seg:] == 0) and np.all(a.Xt[:, n_seg:] == 0)
    # the padded length is the bucket: a few more segments (another origin) keep the shape
    assert a.Xt.shape[1] == max(SEGMENT_BUCKET, -(-n_seg // SEGMENT_BUCKET) * SEGMENT_BUCKET)
    assert a.venue_attrs.shape[0] == max(SUMMIT_BUCKET, -(-n_sum // SUMMIT_BUCKET) * SUMMIT_BUCKET)


@pytest.mark.slow
@pytest.mark.parametrize("announced", [False, True])
def test_the_log_density_is_the_pymc_models(june_data, data_as_of, announced):
    """At random points the JAX log density equals PyMC's (both keep the Poisson's log k! and
    the normals' constants), without and with announced meetings (the record of 2024-06-17)."""
    import jax.numpy as jnp

    from forecast.model.build import build_model
    from forecast.model.jaxmodel import log_density
    from forecast.model.jaxnuts import initial_points, start_jax

    start_jax()
    data = data_as_of("2024-06-17", "2024-06-20") if announced else june_data
    model = build_model(data)
    logp = model.compile_logp()
    a = model_arrays(data)
    assert a.announce is announced
    rng = np.random.default_rng(0)
    for _ in range(3):
        seed = int(rng.integers(1000))
        point = {k: v[0] for k, v in initial_points(a.priors, 1, seed, a.announce).items()}
        assert ("announce_logit" in point) is announced
        ours = log_density({k: jnp.asarray(v) for k, v in point.items()}, *a.args())
        theirs = logp({k: np.asarray(v) for k, v in point.items()})
        assert float(ours) == pytest.approx(float(theirs), rel=1e-9, abs=1e-8)


def test_the_claims_scored_off_their_days_enter_both_densities(data_as_of):
    """The claim outcomes (forecast.design.announced.claim_outcomes) are padded into the JAX
    inputs and add outcome_logp to the JAX density and, as a potential, to PyMC's."""
    import jax.numpy as jnp

    from forecast.design.announced import outcome_logp
    from forecast.model.build import build_model
    from forecast.model.jaxmodel import OUTCOME_BUCKET, log_density
    from forecast.model.jaxnuts import initial_points, start_jax

    start_jax()  # double precision, as the sampler runs
    data = data_as_of("2024-06-17", "2024-06-20")
    scored = data.history.outcomes
    assert len(scored) > 0 and scored.met.sum() > 0  # 2019 and 2023 claims borne out
    a = model_arrays(data)
    n = len(scored)
    assert a.outcomes.shape[1] % OUTCOME_BUCKET == 0 and a.outcomes.shape[1] >= n
    np.testing.assert_array_equal(a.outcomes[4, :n], scored.met)
    point = {k: v[0] for k, v in initial_points(a.priors, 1, 3, a.announce).items()}
    q, qf = (1 / (1 + np.exp(-point[k])) for k in ("announce_logit", "framed_logit"))
    expected = float(outcome_logp(q, qf, scored))
    assert expected < 0
    blank = np.zeros_like(a.outcomes)
    blank[1] = 1.0  # every entry padding
    args = list(a.args())
    with_them = log_density({k: jnp.asarray(v) for k, v in point.items()}, *args)
    args[next(i for i, x in enumerate(args) if x is a.outcomes)] = blank
    without = log_density({k: jnp.asarray(v) for k, v in point.items()}, *args)
    assert float(with_them - without) == pytest.approx(expected, rel=1e-9)
    model = build_model(data)
    assert [p.name for p in model.potentials] == ["claim_outcomes"]
    potential = model.compile_fn(model.logp(vars=model.potentials), point_fn=True)
    claims = {k: np.asarray(point[k]) for k in ("announce_logit", "framed_logit")}
    assert float(potential(claims)) == pytest.approx(expected, rel=1e-9)
