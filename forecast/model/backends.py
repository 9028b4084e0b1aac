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
#: The refits' target acceptance when the signal terms' claims are in the model: a claim's
#: hazard rises through its window as the days left shrink, and at 0.8 the steps were too long
#: for that curvature (the short-horizon track's 192 Kim-Putin fits: 92 divergent transitions
#: at 0.8, 8 at 0.9, for 11% more time). 0.9 is what ``forecast run`` uses.
CLAIMS_REFIT_TARGET_ACCEPT = 0.9


def refit_target_accept(claims: bool) -> float:
    """The refits' NUTS target acceptance: :data:`CLAIMS_REFIT_TARGET_ACCEPT` for a model
    with the signal terms' claims (``claims``), else :data:`REFIT_TARGET_ACCEPT`."""
    return CLAIMS_REFIT_TARGET_ACCEPT if claims else REFIT_TARGET_ACCEPT
