"""Summit Forecast: the timing and venue of the next Kim Jong Un–Putin summit.

The package is split the way a reader looks for things:

- :mod:`forecast.spec`       scenario files (plain, validated data; no PyMC)
- :mod:`forecast.dataset`    the sourced historical record
- :mod:`forecast.elicit`     analyst statements -> priors
- :mod:`forecast.covariates` the piecewise-constant covariate paths
- :mod:`forecast.venues`     venue classes and their attributes
- :mod:`forecast.model`      the PyMC model builder
- :mod:`forecast.fit`        sampling and diagnostics
- :mod:`forecast.predict`    forecast arithmetic on posterior draws
- :mod:`forecast.results`    forecast.json, the posterior file and their stamps
- :mod:`forecast.cli`        the thin command line
"""

__version__ = "0.1.0"
