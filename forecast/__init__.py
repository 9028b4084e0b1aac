"""Summit Forecast: when and where two leaders will next meet (Kim Jong Un and Vladimir Putin
by default; any pair whose record is a dataset).

The package is layered, data flowing one way (docs/extending.md has the full table):

- :mod:`forecast.config`    scenario files (plain, validated data; no PyMC)
- :mod:`forecast.domain`    the leader pair and the sourced record (``domain/data/<dataset>/``)
- :mod:`forecast.priors`    analyst statements -> priors
- :mod:`forecast.terms`     the registry of term kinds of the timing and venue models
- :mod:`forecast.design`    covariate paths, segments and the model's inputs
- :mod:`forecast.model`     the PyMC model, sampling and diagnostics
- :mod:`forecast.predict`   forecast arithmetic on posterior draws (:mod:`forecast.effects`)
- :mod:`forecast.io`        forecast.json, the posterior file, schemas, saved runs
- :mod:`forecast.analysis`, :mod:`forecast.plots`, :mod:`forecast.report`,
  :mod:`forecast.backtest`, :mod:`forecast.validation`
- :mod:`forecast.pipeline`  the ``validate`` and ``run`` entry points; :mod:`forecast.cli`
"""

__version__ = "0.1.0"
