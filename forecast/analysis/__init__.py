"""Analysis of a fitted run: predictive check, influence, what-if, hazard."""
