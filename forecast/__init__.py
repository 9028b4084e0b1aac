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
- :mod:`forecast.pipeline`  the ``validate`` and ``run`` entry points; :mod:`forecast.workflow`
  the runs built on them (compare, sensitivity, update, what-if); :mod:`forecast.cli`

The curated API (``__all__``): load a scenario or a dataset, validate, prepare the model's
inputs, sample, forecast, run a scenario end to end, load a saved run, read a forecast.json.
"""

__version__ = "0.1.0"

# The curated API, imported on first use so that ``import forecast`` (and the CLI's --help and
# validate) stay light: name -> module that defines it.
_API = {
    "load_scenario": "forecast.config.scenario",
    "load_dataset": "forecast.domain.record",
    "available_datasets": "forecast.domain.record",
    "validate": "forecast.pipeline",
    "prepare": "forecast.design.prepare",
    "sample": "forecast.model.sample",
    "forecast": "forecast.predict",
    "run": "forecast.pipeline",
    "load_run": "forecast.io.rundir",
    "read_document": "forecast.io.document",
}
__all__ = ["__version__", *_API]


def __getattr__(name: str):
    if name in _API:
        import importlib

        return getattr(importlib.import_module(_API[name]), name)
    raise AttributeError(f"module 'forecast' has no attribute {name!r}")
