"""Free plotting functions, one module per family of figures."""
