"""Summit Forecast: the timing and venue of the next Kim Jong Un–Putin summit.

The package is split the way a reader looks for things:

- :mod:`forecast.config.scenario`       scenario files (plain, validated data; no PyMC)
- :mod:`forecast.domain.record`    the sourced historical record
- :mod:`forecast.priors.elicit`     analyst statements -> priors
- :mod:`forecast.design.paths` the piecewise-constant covariate paths
- :mod:`forecast.domain.venues`     venue classes and their attributes
- :mod:`forecast.model.build`      the PyMC model builder
- :mod:`forecast.model.sample`        sampling and diagnostics
- :mod:`forecast.predict`    forecast arithmetic on posterior draws
- :mod:`forecast.io.outputs`    forecast.json, the posterior file and their stamps
- :mod:`forecast.cli.main`        the thin command line
"""

__version__ = "0.1.0"
