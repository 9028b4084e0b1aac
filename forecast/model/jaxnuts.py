"""numpyro's NUTS on the model's JAX density (:mod:`forecast.model.jaxmodel`): compiled once,
cached on disk.

Every chain runs the same single-chain program on its own CPU device. The traced programs are
stored exported (:mod:`forecast.model.programs`) and their compiled form goes to JAX's
persistent compilation cache, both under the user cache directory
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

import numpy as np
import xarray as xr

from forecast.design.prepare import ModelData
from forecast.model.build import CLAIM_PARAMETERS
from forecast.model.cache import cache_dir
from forecast.model.jaxmodel import Arrays, log_density, model_arrays

#: CPU devices JAX is started with: one per chain, up to the 16 chains a scenario may ask for.
HOST_DEVICES = 16


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
        names += CLAIM_PARAMETERS
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
            **{
                name: (("chain", "draw"), samples[name])
                for name in CLAIM_PARAMETERS
                if name in samples
            },
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
