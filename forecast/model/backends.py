"""The samplers the model can be fitted with, by name (no PyMC import: outputs read this)."""

#: The backends :func:`forecast.model.sample.sample` accepts.
BACKENDS = ("numpyro", "pymc", "nutpie")
#: The backend of ``forecast run`` unless the scenario or ``--sampler`` chooses another: the
#: fastest for a fresh process (``benchmarks/bench_run.py``; docs/model.md, "Sampling").
DEFAULT_BACKEND = "numpyro"
#: The reference every other backend is checked against (PyMC's own NUTS).
REFERENCE_BACKEND = "pymc"
#: How outputs name each backend.
BACKEND_LABELS = {
    "numpyro": "NUTS (numpyro, JAX-compiled)",
    "pymc": "NUTS (PyMC)",
    "nutpie": "NUTS (nutpie, numba-compiled)",
}
#: The backend of the backtest's compile-once refits (the simulation checks use nutpie).
REFIT_BACKEND = "numpyro"
#: The refits' NUTS target acceptance (nutpie's default, which the backtest was built with).
REFIT_TARGET_ACCEPT = 0.8
