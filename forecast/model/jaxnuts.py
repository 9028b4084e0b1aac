"""The model's log density in JAX, sampled with numpyro's NUTS: compiled once, cached on disk.

The same joint model as :func:`forecast.model.build.build_model` (the piecewise-exponential
timing model and the conditional-logit venue model, normal priors), written directly in
``jax.numpy``. Every input is an argument of the compiled function, never a constant in it,
so one compiled sampler serves every scenario, origin and prior of a dataset with the same
array shapes; and the shapes are bucketed (segments padded to a multiple of
:data:`SEGMENT_BUCKET`, venue summits to a multiple of :data:`SUMMIT_BUCKET`, the padding
masked out of the likelihood), so a new number of segments rarely means a new shape.

The traced programs are stored exported (:mod:`forecast.model.programs`) and their compiled
form goes to JAX's persistent compilation cache, both under the user cache directory
(:func:`forecast.model.cache.cache_dir`, which ``XDG_CACHE_HOME`` moves), so a fresh process
neither traces nor compiles. A program read from the caches is the program that was made, so
the numbers for a seed do not depend on the cache state; nor on the number of CPU devices,
because every chain runs the same single-chain program.
"""

from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import dataclass

import numpy as np
import xarray as xr

from forecast.design.announced import Announced, daily_hazard
from forecast.design.prepare import ModelData
from forecast.model.build import prior_arrays
from forecast.model.cache import cache_dir

#: Segments are padded to a multiple of this; padded segments carry no likelihood.
SEGMENT_BUCKET = 128
#: Venue summits are padded to a multiple of this; padded summits carry no likelihood.
SUMMIT_BUCKET = 8
#: CPU devices JAX is started with: one per chain, up to the 16 chains a scenario may ask for.
HOST_DEVICES = 16


def _bucket(n: int, size: int) -> int:
    return max(size, -(-n // size) * size)


def start_jax() -> None:
    """Import JAX configured for this model: CPU devices for parallel chains, float64, and
    the persistent compilation cache under the user cache directory."""
    if "jax" not in sys.modules:  # XLA reads the device count once, when JAX starts
        # always the same device count: numpyro runs chains in parallel (one per device) only
        # when there are enough devices, and its sequential path gives other numbers
        flags = [
            f
            for f in os.environ.get("XLA_FLAGS", "").split()
            if not f.startswith("--xla_force_host_platform_device_count")
        ]
        flags.append(f"--xla_force_host_platform_device_count={HOST_DEVICES}")
        os.environ["XLA_FLAGS"] = " ".join(flags)
        os.environ.setdefault("JAX_PLATFORMS", "cpu")
    import jax

    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_compilation_cache_dir", str(cache_dir() / "jax"))
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)
    jax.config.update("jax_persistent_cache_min_entry_size_bytes", -1)


@dataclass(frozen=True)
class Arrays:
    """The model's inputs as padded arrays: the arguments of the compiled sampler."""

    Xt: np.ndarray  # (K, S) covariates per segment, one row per covariate (see log_density)
    log_exposure: np.ndarray  # (S,)
    events: np.ndarray  # (S,)
    segment_mask: np.ndarray  # (S,) 1 for a real segment, 0 for padding
    venue_attrs: np.ndarray  # (N, J, A)
    venue_choice: np.ndarray  # (N,) int
    summit_mask: np.ndarray  # (N,)
    priors: dict[str, np.ndarray]  # prior means and sds, keyed as build.prior_arrays
    announced: np.ndarray  # (3, S) reliability, window length, day in window (zeros: none)
    announce: bool  # whether announced meetings are in the model (announce_logit sampled)

    def signature(self) -> tuple:
        """What fixes the compiled program: the arrays' shapes and whether q is sampled."""
        return (self.Xt.shape, self.venue_attrs.shape, self.announce)

    def args(self) -> tuple:
        p = self.priors
        return (
            self.Xt,
            self.log_exposure,
            self.events,
            self.segment_mask,
            self.venue_attrs,
            self.venue_choice,
            self.summit_mask,
            self.announced,
            *(p[k] for k in PRIOR_KEYS),
            *(p[k] for k in ANNOUNCE_KEYS),
        )


PRIOR_KEYS = (
    "log_rate_mu",
    "log_rate_sigma",
    "beta_mu",
    "beta_sigma",
    "venue_asc_mu",
    "venue_asc_sigma",
    "venue_beta_mu",
    "venue_beta_sigma",
)
ANNOUNCE_KEYS = ("announce_logit_mu", "announce_logit_sigma")


def model_arrays(data: ModelData, priors: dict[str, np.ndarray] | None = None) -> Arrays:
    """Pad ``data``'s history and venue summits to their buckets.

    Parameters
    ----------
    data
        The model's inputs (:func:`forecast.design.prepare.prepare`).
    priors
        Prior means and sds keyed as :func:`forecast.model.build.prior_arrays`; ``data``'s own
        if None.
    """
    hist = data.history
    n_seg, k = hist.X.shape
    s = _bucket(n_seg, SEGMENT_BUCKET)
    Xt = np.zeros((k, s))
    Xt[:, :n_seg] = hist.X.T
    log_exposure = np.zeros(s)
    log_exposure[:n_seg] = np.log(hist.exposure)
    events = np.zeros(s)
    events[:n_seg] = hist.events
    seg_mask = np.zeros(s)
    seg_mask[:n_seg] = 1.0
    n_sum, j, a = data.venue_attrs.shape
    n = _bucket(n_sum, SUMMIT_BUCKET)
    attrs = np.zeros((n, j, a))
    attrs[:n_sum] = data.venue_attrs
    choice = np.zeros(n, dtype=np.int64)
    choice[:n_sum] = data.venue_choice
    sum_mask = np.zeros(n)
    sum_mask[:n_sum] = 1.0
    p = prior_arrays(data) if priors is None else priors
    announce = data.announce is not None
    announced = np.zeros((3, s))
    announced[1] = 1.0  # a window length of 1 where no announcement counts: c = log(1/1) = 0
    if announce:
        ann = hist.announced
        announced[:, :n_seg] = [ann.reliability, ann.length, ann.day]
    else:  # unused by the density (no announce_logit), given for a fixed argument list
        p = {**p, "announce_logit_mu": np.zeros(()), "announce_logit_sigma": np.ones(())}
    return Arrays(
        Xt,
        log_exposure,
        events,
        seg_mask,
        attrs,
        choice,
        sum_mask,
        {key: np.asarray(p[key], dtype=float) for key in PRIOR_KEYS + ANNOUNCE_KEYS},
        announced,
        announce,
    )


def log_density(
    params: dict,
    Xt,
    log_exposure,
    events,
    segment_mask,
    venue_attrs,
    venue_choice,
    summit_mask,
    announced,
    log_rate_mu,
    log_rate_sigma,
    beta_mu,
    beta_sigma,
    venue_asc_mu,
    venue_asc_sigma,
    venue_beta_mu,
    venue_beta_sigma,
    announce_logit_mu,
    announce_logit_sigma,
):
    """The model's joint log density at ``params`` (the PyMC model's, constants included).

    ``announce_logit`` is in ``params`` only when announced meetings are in the model; the
    announced arrays and their prior are ignored otherwise."""
    import jax
    import jax.numpy as jnp
    from jax.scipy.special import gammaln, logsumexp
    from jax.scipy.stats import norm

    log_rate, beta = params["log_rate"], params["beta"]
    asc, gamma = params["venue_asc"], params["venue_beta"]
    prior = (
        norm.logpdf(log_rate, log_rate_mu, log_rate_sigma)
        + jnp.sum(norm.logpdf(beta, beta_mu, beta_sigma))
        + jnp.sum(norm.logpdf(asc, venue_asc_mu, venue_asc_sigma))
        + jnp.sum(norm.logpdf(gamma, venue_beta_mu, venue_beta_sigma))
    )
    # Poisson(exp(eta)) counts per segment, the exact likelihood of the point process. The
    # covariates come one row per covariate: beta @ Xt runs along contiguous segments, and the
    # gradient of the whole density took 2.4 us against 4.9 us with X @ beta (640 x 10).
    eta = log_rate + beta @ Xt + log_exposure
    if "announce_logit" in params:  # known when tracing: a program of its own
        a_logit = params["announce_logit"]
        prior = prior + norm.logpdf(a_logit, announce_logit_mu, announce_logit_sigma)
        reliability, length, day = announced
        ann = Announced(reliability, length, day, None)
        mu = jnp.exp(eta) + daily_hazard(jax.nn.sigmoid(a_logit), ann, log=jnp.log)
        # the day-censored likelihood of forecast.model.build.day_censored_logp
        per = jnp.where(events > 0, jnp.log(-jnp.expm1(-mu)), -mu)
    else:
        per = events * eta - jnp.exp(eta) - gammaln(events + 1.0)
    timing = jnp.sum(segment_mask * per)
    utility = jnp.concatenate([jnp.zeros(1), asc])[None, :] + venue_attrs @ gamma
    chosen = jnp.take_along_axis(utility, venue_choice[:, None], axis=1)[:, 0]
    venue = jnp.sum(summit_mask * (chosen - logsumexp(utility, axis=1)))
    return prior + timing + venue


def _potential_gen(*args):
    return lambda params: -log_density(params, *args)


def _chain(key, init, args, *, draws: int, tune: int, target_accept: float):
    """One NUTS chain (numpyro's kernel, diagonal mass-matrix adaptation during ``tune``)."""
    from jax import lax
    from numpyro.infer.hmc import hmc

    init_kernel, sample_kernel = hmc(potential_fn_gen=_potential_gen, algo="NUTS")
    state = init_kernel(init, tune, target_accept_prob=target_accept, model_args=args, rng_key=key)

    # Warm-up in a loop that keeps nothing, then the kept draws in a scan that stacks them: the
    # same kernel calls in the same order (the same draws, to the bit), but one scan over
    # tune + draws that stacks every position and is sliced afterwards ran twice as slowly
    # for some covariate counts (0.19 s against 0.09 s per fit at ten covariates).
    state = lax.fori_loop(0, tune, lambda _, s: sample_kernel(s, model_args=args), state)

    def step(s, _):
        s = sample_kernel(s, model_args=args)
        return s, (s.z, s.diverging)

    _, (z, diverging) = lax.scan(step, state, length=draws)
    return z, diverging


def _mapped(n: int, chains: int, *, draws: int, tune: int, target_accept: float):
    """The program of one group of ``n`` chains, one per CPU device: chain ``i`` (its number
    among all ``chains``) runs :func:`_chain` with the ``i``-th key of the seed's split, so
    its draws depend on the seed and its number only, not on the group it runs in."""
    import jax

    # imported before the trace, not during it: numpyro's imports register JAX config
    # options, and a trace context that changes under a trace makes the next one start over
    import jax.scipy.special  # noqa: F401
    import jax.scipy.stats  # noqa: F401
    import numpyro.infer.hmc  # noqa: F401
    from jax.sharding import PartitionSpec

    def body(seed, ids, init, args):
        key = jax.random.split(jax.random.key(seed), chains)[ids[0]]
        z, div = _chain(
            key,
            {k: v[0] for k, v in init.items()},
            args,
            draws=draws,
            tune=tune,
            target_accept=target_accept,
        )
        return jax.tree.map(lambda x: x[None], z), div[None]

    one, each = PartitionSpec(), PartitionSpec("chain")
    return jax.jit(
        jax.shard_map(
            body,
            mesh=_mesh(n),
            in_specs=(one, each, each, one),
            out_specs=each,
            check_vma=False,  # numpyro's kernel mixes per-chain and shared values in its conds
        )
    )


def _mesh(n: int):
    """The first ``n`` CPU devices as a one-axis mesh, ``chain``."""
    import jax

    return jax.make_mesh(
        (n,), ("chain",), devices=jax.devices()[:n], axis_types=(jax.sharding.AxisType.Auto,)
    )


def initial_points(
    priors: dict[str, np.ndarray], chains: int, seed: int, announce: bool = False
) -> dict:
    """Each chain's start: the prior means plus uniform(-1, 1) jitter, as PyMC starts NUTS."""
    rng = np.random.default_rng([seed, 0x5EED])
    out = {}
    names = ["log_rate", "beta", "venue_asc", "venue_beta"]
    if announce:
        names.append("announce_logit")
    for name in names:
        mu = np.asarray(priors[f"{name}_mu"], dtype=float)
        out[name] = mu[None, ...] + rng.uniform(-1.0, 1.0, size=(chains, *mu.shape))
    return out


class JaxSampler:
    """numpyro's NUTS on the model, compiled once per array shape and sampler setting.

    Every chain runs the same single-chain program, on its own CPU device (in groups of the
    device count if there are more chains than devices), so the draws of a chain depend on the
    seed and the chain's number only. A group's program is exported once and stored
    (:mod:`forecast.model.programs`); later processes read it instead of tracing numpyro.

    Parameters
    ----------
    draws, tune, chains
        Kept draws, warm-up steps and chains of every fit.
    target_accept
        NUTS' target acceptance probability during warm-up.
    """

    def __init__(self, *, draws: int, tune: int, chains: int, target_accept: float) -> None:
        start_jax()
        self.draws, self.tune, self.chains = int(draws), int(tune), int(chains)
        self.target_accept = float(target_accept)
        self._programs: dict[tuple, tuple] = {}
        #: Programs traced and exported by this sampler (the others were read from disk).
        self.exported = 0

    def _groups(self, arrays: Arrays, seed: int, init: dict | None = None):
        """Each group's chain numbers and its program's arguments: the seed, the chain
        numbers, the chains' starts and the model's inputs."""
        import jax

        if init is None:
            init = initial_points(arrays.priors, self.chains, seed, arrays.announce)
        args = arrays.args()
        step = jax.local_device_count()
        for lo in range(0, self.chains, step):
            ids = np.arange(lo, min(lo + step, self.chains), dtype=np.int64)
            part = {k: np.asarray(v[ids[0] : ids[-1] + 1]) for k, v in init.items()}
            yield ids, (np.int64(seed), ids, part, args)

    def _program(self, arrays: Arrays, n: int, example: tuple):
        """The compiled program of a group of ``n`` chains for ``arrays``' shapes, and the
        placement of its arguments on the group's devices."""
        sig = (arrays.signature(), n)
        if sig in self._programs:
            return self._programs[sig]
        import jax
        from jax.sharding import NamedSharding, PartitionSpec

        from forecast.model.programs import exported, program_key

        mesh = _mesh(n)
        one, each = (
            NamedSharding(mesh, PartitionSpec()),
            NamedSharding(mesh, PartitionSpec("chain")),
        )
        placement = (one, each, each, one)
        spec = {
            "program": "nuts-chains",
            "draws": self.draws,
            "tune": self.tune,
            "target_accept": self.target_accept,
            "chains": self.chains,
            "group": n,
            "inputs": [
                [list(np.shape(a)), str(np.asarray(a).dtype)] for a in jax.tree.leaves(example)
            ],
            "announce": arrays.announce,
            "x64": bool(jax.config.jax_enable_x64),
        }
        mapped = functools.partial(
            _mapped,
            n,
            self.chains,
            draws=self.draws,
            tune=self.tune,
            target_accept=self.target_accept,
        )
        program, new = exported(program_key(spec), lambda: jax.export.export(mapped())(*example))
        self.exported += new
        placed = jax.device_put(example, placement)
        compiled = jax.jit(program.call).lower(*placed).compile()
        self._programs[sig] = (compiled, placement)
        return self._programs[sig]

    def warm(self, arrays: Arrays) -> bool:
        """Compile (or load from the caches) the programs for ``arrays``' shapes, without
        sampling; later fits of those shapes start at once. True if it was new."""
        new = False
        for ids, example in self._groups(arrays, 0):
            before = len(self._programs)
            self._program(arrays, len(ids), example)
            new |= len(self._programs) > before
        return new

    def sample(self, arrays: Arrays, seed: int, init: dict | None = None) -> dict[str, np.ndarray]:
        """Fit ``arrays``; every value is ``(chains, draws, ...)``, ``diverging`` included.
        The chains start at ``init`` (``(chains, ...)`` per parameter) if given, else at the
        prior means of ``arrays`` plus jitter (:func:`initial_points`)."""
        import jax

        parts = []
        for ids, group_args in self._groups(arrays, seed, init):
            compiled, placement = self._program(arrays, len(ids), group_args)
            z, div = compiled(*jax.device_put(group_args, placement))
            parts.append(({k: np.asarray(v) for k, v in z.items()}, np.asarray(div)))
        out = {k: np.concatenate([p[0][k] for p in parts]) for k in parts[0][0]}
        out["diverging"] = np.concatenate([p[1] for p in parts])
        return out


def to_datatree(samples: dict[str, np.ndarray], data: ModelData) -> xr.DataTree:
    """The draws as a ``DataTree`` with the posterior and sample_stats groups of a PyMC trace."""
    chains, draws = samples["log_rate"].shape[:2]
    coords = {
        "chain": np.arange(chains),
        "draw": np.arange(draws),
        "covariate": data.history.names,
        "venue_alt": list(data.dyad.alternatives),
        "venue_attr": [t.name for t in data.venue_terms],
    }
    post = xr.Dataset(
        {
            "log_rate": (("chain", "draw"), samples["log_rate"]),
            "beta": (("chain", "draw", "covariate"), samples["beta"]),
            "venue_asc": (("chain", "draw", "venue_alt"), samples["venue_asc"]),
            "venue_beta": (("chain", "draw", "venue_attr"), samples["venue_beta"]),
            **(
                {"announce_logit": (("chain", "draw"), samples["announce_logit"])}
                if "announce_logit" in samples
                else {}
            ),
        },
        coords=coords,
    )
    stats = xr.Dataset(
        {"diverging": (("chain", "draw"), samples["diverging"].astype(bool))},
        coords={"chain": coords["chain"], "draw": coords["draw"]},
    )
    return xr.DataTree.from_dict({"posterior": post, "sample_stats": stats})


def sample_numpyro(
    data: ModelData, *, draws: int, tune: int, chains: int, seed: int, target_accept: float
) -> xr.DataTree:
    """One fit of ``data`` with numpyro's NUTS (see the module docstring)."""
    start = time.perf_counter()
    sampler = JaxSampler(draws=draws, tune=tune, chains=chains, target_accept=target_accept)
    tree = to_datatree(sampler.sample(model_arrays(data), seed), data)
    tree.attrs["sampler_seconds"] = round(time.perf_counter() - start, 3)
    return tree
