"""The model: the PyMC builder, sampling, diagnostics and compile-once refits."""
