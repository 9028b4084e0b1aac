"""The samplers the model can be fitted with, by name (no PyMC import: outputs read this)."""

#: The backends :func:`forecast.model.sample.sample` accepts; ``pymc`` is the default and the
#: reference.
BACKENDS = ("pymc", "nutpie")
#: How outputs name each backend.
BACKEND_LABELS = {"pymc": "NUTS (PyMC)", "nutpie": "NUTS (nutpie, numba-compiled)"}
#: The backend of the compile-once refits (the backtest and the simulation checks).
REFIT_BACKEND = "nutpie"
