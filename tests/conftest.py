from __future__ import annotations

import copy
import math
import os
import subprocess
import sys
from functools import cache
from pathlib import Path

import matplotlib
import numpy as np
import pytest
import xarray as xr

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

# Test modules never import from here (nor from each other): they ask for the fixtures below.
# A module that needs a path at import time (for a parametrize list) computes it from its own
# ``__file__``.
ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(p for p in SCENARIOS.glob("*.yaml"))
JUNE = SCENARIOS / "june-anniversary.yaml"


@pytest.fixture(scope="session", autouse=True)
def user_cache(tmp_path_factory) -> Path:
    """The session's own user cache directory (``XDG_CACHE_HOME``): compiled samplers and
    cached posteriors of the tests never reach, nor come from, the user's."""
    path = tmp_path_factory.mktemp("xdg-cache")
    saved = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(path)
    yield path
    if saved is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved


@pytest.fixture(autouse=True)
def python_graphs(request):
    """A test's PyTensor graphs run in Python (``FAST_COMPILE``), not compiled to C, unless
    it is marked ``pymc_nuts``.

    The forecast never runs a PyTensor graph in the default (C) mode: it samples the JAX
    density or nutpie's numba build, each compiled for its backend. What the tests compiled
    in the default mode were their own checks of the PyMC model (``compile_logp``,
    ``point_logps``): with an empty compile cache, as on a new machine, the C compilation of
    the model's gradient alone took 70-80 s of the fast tier here, where evaluating the same
    graph in Python takes a few seconds and gives the same numbers to rounding. The tests
    that sample with PyMC's own NUTS (the reference sampler) keep the C mode it runs in.
    Subprocesses (the CLI tests) keep the default too.
    """
    if request.node.get_closest_marker("pymc_nuts"):
        yield
        return
    import pytensor

    with pytensor.config.change_flags(mode="FAST_COMPILE"):
        yield


@cache
def _june_raw() -> dict:
    from forecast.config.yaml_loader import load_yaml

    return load_yaml(JUNE)


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository root (where pyproject.toml and scenarios/ are)."""
    return ROOT


@pytest.fixture(scope="session")
def forecast_process():
    """``forecast_process(*args, timeout=600)`` runs ``python -m forecast ARGS`` in a fresh
    process from the repository root and returns the completed process (text output)."""

    def run(*args, timeout: float = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "forecast", *map(str, args)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


@pytest.fixture(scope="session")
def scenarios_dir() -> Path:
    """The shipped scenarios' directory, ``scenarios/`` (wrong examples in ``wrong/``)."""
    return SCENARIOS


@pytest.fixture(scope="session")
def shipped_scenarios() -> list[Path]:
    """Every shipped scenario file, ``scenarios/*.yaml``, sorted."""
    return list(SHIPPED)


@pytest.fixture(scope="session")
def june_path() -> Path:
    """The path of ``scenarios/june-anniversary.yaml`` (``june`` is the loaded scenario)."""
    return JUNE


@pytest.fixture
def june_raw() -> dict:
    """A fresh, editable copy of june-anniversary.yaml as plain data (dates stay text)."""
    return copy.deepcopy(_june_raw())


@pytest.fixture
def random_draws():
    """:func:`make_random_draws`: independent normal draws of every parameter (no MCMC)."""
    return make_random_draws


def make_random_draws(data, n: int, seed: int = 0, *, rate=(-1.0, 0.5), beta_sd: float = 0.6):
    """``n`` draws with ``log_rate ~ N(*rate)``, each ``beta ~ N(0, beta_sd)`` and the venue
    parameters ``~ N(0, 1)``, from ``seed`` (drawn in that order)."""
    from forecast.predict import Draws

    rng = np.random.default_rng(seed)
    k = data.history.X.shape[1]
    return Draws(
        log_rate=rng.normal(*rate, n),
        beta=rng.normal(0.0, beta_sd, (n, k)),
        venue_asc=rng.normal(0.0, 1.0, (n, len(data.dyad.alternatives))),
        venue_beta=rng.normal(0.0, 1.0, (n, len(data.venue_terms))),
    )


@pytest.fixture
def fixed_draws():
    """:func:`make_fixed_draws`: ``n`` identical posterior draws of a known hazard."""
    return make_fixed_draws


def make_fixed_draws(
    data, rate: float, n: int = 1, beta=None, kept: float | None = None, framed: float = 0.5
):
    """``n`` identical draws with hazard ``rate`` per year where all covariates are zero; with
    announced meetings in ``data``'s model, announcements kept with probability ``kept``
    (default 0.8) and time-framed signals borne out with probability ``framed``."""
    from forecast.predict import Draws

    k = data.history.X.shape[1]
    b = np.zeros(k) if beta is None else beta
    q = 0.8 if kept is None else kept
    return Draws(
        log_rate=np.full(n, math.log(rate)),
        beta=np.tile(b, (n, 1)),
        venue_asc=np.zeros((n, len(data.dyad.alternatives))),
        venue_beta=np.zeros((n, len(data.venue_terms))),
        announce_logit=None if data.announce is None else np.full(n, math.log(q / (1 - q))),
        framed_logit=None if data.announce is None else np.full(n, math.log(framed / (1 - framed))),
    )


BACKTEST = {
    "schema": "summit-forecast/backtest.json/1",
    "stamp": {"version": "0.1.0", "data_sha256": "c4ee00", "cases_sha256": None},
    "settings": {
        "start": "2014-01-01",
        "end": "2025-08-01",
        "every": "1M",
        "windows": [90, 180],
        "draws": 500,
        "tune": 500,
        "chains": 2,
        "seed": 1,
        "interval": 0.8,
    },
    "n_origins": 140,
    "seconds_per_origin": 0.8,
    "scores": [
        {
            "window_days": 90,
            "n": 140,
            "n_events": 5,
            "brier": {"value": 0.0412, "lo": 0.02, "hi": 0.09},
            "log": {"value": 0.2, "lo": 0.1, "hi": 0.3},
            "baselines": [
                {
                    "name": "constant",
                    "label": "constant rate, Kim Jong Un era",
                    "brier": {"value": 0.05, "lo": 0.03, "hi": 0.08},
                    "log": {"value": 0.22, "lo": 0.12, "hi": 0.33},
                    "bss": {"value": 0.18, "lo": -0.2, "hi": 0.3},
                }
            ],
        }
    ],
    "venue": {
        "n": 3,
        "log_score": {"value": 1.1, "lo": 0.8, "hi": 1.4},
        "uniform_log_score": 1.609,
        "skill": {"value": 0.3, "lo": 0.1, "hi": 0.5},
    },
    "cases": [
        {
            "label": "seed 004: Kim in Russia by Defender of the Fatherland Day",
            "as_of": "2024-11-21",
            "horizon_end": "2025-02-24",
            "analyst_call": "Kim may visit Russia around Defender of the Fatherland Day.",
            "p": 0.1,
            "lo": 0.03,
            "hi": 0.2,
            "outcome": False,
            "what_happened": "No summit; the next was 2025-09-03 in Beijing",
        }
    ],
    "figures": {"reliability": "reliability.svg"},
    "note": "few events: intervals are wide",
}


@pytest.fixture
def backtest_doc() -> dict:
    """A fresh, editable backtest.json document (a monthly-origins run) as plain data."""
    return copy.deepcopy(BACKTEST)


@pytest.fixture(scope="session")
def dataset():
    from forecast.domain.record import load_dataset

    return load_dataset()


@pytest.fixture(scope="session")
def june(dataset):
    from forecast.config.scenario import load_scenario

    return load_scenario(SCENARIOS / "june-anniversary.yaml")


@pytest.fixture(scope="session")
def june_data(june, dataset):
    from forecast.design.prepare import prepare

    return prepare(june, dataset)


@pytest.fixture(scope="session")
def fake_run():
    """:func:`write_fake_run`: a run directory written without MCMC (see its docstring)."""
    return write_fake_run


class _FakeRuns(dict):
    """Run directories of the shipped scenarios by name, each written on first use."""

    def __init__(self, base: Path, scenarios: list[Path]) -> None:
        super().__init__()
        self._base, self._paths = base, {p.stem: p for p in scenarios}

    def __missing__(self, name: str) -> Path:
        self[name] = write_fake_run(self._paths[name], self._base / name)
        return self[name]


@pytest.fixture(scope="session")
def fake_runs(tmp_path_factory, shipped_scenarios) -> dict[str, Path]:
    """A run directory of each shipped scenario, written with prior draws (no MCMC) when first
    asked for, by scenario name; shared by the session, so copy one before changing it."""
    return _FakeRuns(tmp_path_factory.mktemp("fake"), shipped_scenarios)


@pytest.fixture(scope="session")
def tiny_run_dir(tmp_path_factory) -> Path:
    """A june-anniversary run directory with its report, written by the production code with
    prior draws in place of MCMC (2 chains x 100 draws), shared by the session.

    Treat it as read-only; copy it (``shutil.copytree``) before changing anything in it.
    """
    from forecast.report.render import render_run

    out = write_fake_run(JUNE, tmp_path_factory.mktemp("runs") / "june-anniversary", draws=100)
    render_run(out)
    return out


@pytest.fixture(scope="session")
def real_run_dir(tmp_path_factory) -> Path:
    """A real but tiny june-anniversary run (MCMC, 2 chains x 100 draws), for slow tests."""
    from forecast.pipeline import run

    out = tmp_path_factory.mktemp("runs") / "june-anniversary-mcmc"
    run(JUNE, out, draws=100, tune=100, chains=2, seed=7)
    return out


@pytest.fixture(scope="session")
def before_data(dataset):
    """ModelData of before-ceasefire: the whole record, 2012-01-01 to 2026-02-26."""
    from forecast.config.scenario import load_scenario
    from forecast.design.prepare import prepare

    return prepare(load_scenario(SCENARIOS / "before-ceasefire.yaml"), dataset)


@pytest.fixture(scope="session")
def validation_data(dataset):
    """ModelData of before-ceasefire on the record the simulation checks use (without its
    signal rows: forecast.validation.commands.simulation_record)."""
    from forecast.config.scenario import load_scenario
    from forecast.design.prepare import prepare
    from forecast.validation.commands import simulation_record

    return prepare(load_scenario(SCENARIOS / "before-ceasefire.yaml"), simulation_record(dataset))


@pytest.fixture(scope="session")
def compiled_fit(validation_data):
    """The simulation checks' fitter (the default, numpyro), compiled once, shared by them."""
    from forecast.model.fastfit import fast_fit

    return fast_fit(validation_data)


def write_fake_run(scenario: Path, out: Path, draws: int = 500, seed: int = 1) -> Path:
    """A run directory written by the real code path, with prior draws standing in for MCMC.

    Everything but ``pm.sample`` is the production code: validation, ``prepare``, diagnostics,
    and :func:`forecast.pipeline.finish_run` (forecast arithmetic, the run identity, the
    staged write). No report is rendered. Two chains of independent prior draws pass every
    convergence check, so the sampler-problem test edits them.
    """
    from forecast.design.prepare import prepare
    from forecast.model.sample import Fit, diagnose, prior_draws
    from forecast.pipeline import finish_run, validate

    checked = validate(scenario)
    data = prepare(checked.scenario, checked.dataset)
    chains = [prior_draws(data, draws, seed + c) for c in range(2)]
    post = xr.concat(chains, dim="chain").assign_coords(chain=[0, 1])
    stats = xr.Dataset({"diverging": (("chain", "draw"), np.zeros((2, draws), dtype=bool))})
    idata = xr.DataTree.from_dict(
        {"posterior": post, "sample_stats": stats, "prior": prior_draws(data, draws, seed + 9)}
    )
    settings = checked.scenario.sampler.model_copy(update={"draws": draws, "chains": 2})
    fit = Fit(idata=idata, diagnostics=diagnose(idata, 0.5))
    finish_run(out, checked, data, fit, settings.model_dump(), report=False)
    return out


@pytest.fixture(scope="session")
def data_as_of():
    """The Kim–Putin model's inputs with the record as known on a day, signal terms on.

    ``data_as_of(as_of, end, drop=())`` builds a scenario with the dataset's defaults only (no
    analysts' statements or events), asking P(next summit by ``end``); ``drop`` names signal
    rows to leave out of the dataset. Cached; nothing is sampled.
    """
    from dataclasses import replace
    from datetime import date, timedelta

    from forecast.config.scenario import parse_scenario
    from forecast.config.yaml_loader import load_yaml
    from forecast.design.prepare import prepare
    from forecast.domain.record import load_dataset

    cache: dict = {}

    def build(as_of: str, end: str, drop: tuple[str, ...] = ()):
        key = (as_of, end, drop)
        if key not in cache:
            raw = load_yaml(JUNE)
            first = date.fromisoformat(as_of) + timedelta(days=1)
            raw["model"] = {"signals": True}  # the signal terms are opt-in
            raw.update(
                as_of=as_of,
                horizon_end=end,
                indicators=[],
                events=[],
                venues={"judgments": []},
                windows=[{"name": "by the end", "start": str(first), "end": end}],
            )
            raw.pop("ceasefire", None)
            dataset = load_dataset()
            dataset = replace(
                dataset, signals=tuple(s for s in dataset.signals if s.id not in drop)
            )
            cache[key] = prepare(parse_scenario(raw), dataset)
        return cache[key]

    return build


@pytest.fixture(scope="session")
def fit_as_of(data_as_of):
    """Fit the Kim–Putin model with the record as known on a day (for slow tests; cached).

    ``fit_as_of(as_of, end, drop=())`` fits :func:`data_as_of`'s inputs. Returns
    ``(data, draws, p_by_end, venue_shares)``: the posterior mean probability and the venue
    shares of a summit by ``end``.
    """
    from forecast.model.sample import sample
    from forecast.predict import Draws, mixture

    cache: dict = {}

    def fit(as_of: str, end: str, drop: tuple[str, ...] = ()):
        key = (as_of, end, drop)
        if key not in cache:
            data = data_as_of(as_of, end, drop)
            # the default backend (numpyro), as a forecast would be fitted
            result = sample(data, draws=1000, tune=600, chains=2, seed=11)
            draws = Draws.from_dataset(result.idata["posterior"].to_dataset())
            surv, vdens = mixture(data, draws)
            shares = vdens.sum(axis=1)
            shares = shares / shares.sum(axis=1, keepdims=True)
            venues = dict(zip(data.dyad.venue_ids, shares.mean(axis=0), strict=True))
            cache[key] = (data, draws, float((1 - surv[:, -1]).mean()), venues)
        return cache[key]

    return fit


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    """A test not marked ``slow`` must not run MCMC, nor the session fixtures it requests
    (setup included): sampling there fails the test at once."""
    if item.get_closest_marker("slow") is not None:
        return (yield)
    import pymc

    from forecast.model.compiled import CompiledModel
    from forecast.model.jaxnuts import JaxSampler

    def refuse(*args, **kwargs):
        raise AssertionError(f"{item.nodeid} samples but is not marked slow")

    # PyMC's own NUTS (every pymc-backend fit calls ``pm.sample``), the nutpie-compiled model
    # (compiling it is most of its cost) and the numpyro sampler: public names, wherever the
    # library calls them from.
    saved = [
        (pymc, "sample", pymc.sample),
        (CompiledModel, "__init__", CompiledModel.__init__),
        (CompiledModel, "sample", CompiledModel.sample),
        (JaxSampler, "__init__", JaxSampler.__init__),
        (JaxSampler, "sample", JaxSampler.sample),
    ]
    for owner, name, _ in saved:
        setattr(owner, name, refuse)
    try:
        return (yield)
    finally:
        for owner, name, value in saved:
            setattr(owner, name, value)


@pytest.fixture(scope="module")  # test_pipeline.py; slow (it samples)
def june_runs(tmp_path_factory, june_path):
    """The june scenario three times: twice with the same seed, once with later rows added."""
    import csv
    import shutil

    from forecast.domain.record import default_data_dir
    from forecast.pipeline import run

    base = tmp_path_factory.mktemp("runs")
    data = base / "data"
    shutil.copytree(default_data_dir(), data)
    with (data / "summits.csv").open("a", newline="") as fh:  # a summit after as_of 2025-05-12
        csv.writer(fh).writerow(
            [
                "s-later",
                "2025-05-20",
                "kim_jong_un",
                "putin",
                "Moscow",
                "russian_capital",
                "dprk",
                "false",
                "",
                "false",
                "test row",
                "https://example.org/later",
            ]
        )
    with (data / "exchanges.csv").open("a", newline="") as fh:
        csv.writer(fh).writerow(
            [
                "x-later",
                "2025-05-13",
                "2025-05-14",
                "day",
                "Someone",
                "Foreign Minister",
                "M1",
                "to_russia",
                "Moscow",
                "true",
                "putin",
                "",
                "false",
                "test row",
                "https://example.org/later",
            ]
        )
    kw = dict(draws=120, tune=120, chains=2, seed=7, report=False)
    return (
        run(june_path, base / "a", **kw),
        run(june_path, base / "b", **kw),
        run(june_path, base / "c", data_dir=data, **kw),
    )


_EXIT: dict[str, int] = {}


def pytest_sessionfinish(session, exitstatus):
    _EXIT["status"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without the interpreter's final teardown once JAX has run in this process.

    After the slow tier's numpyro fits, JAX's runtime threads can crash the interpreter while
    it shuts down (a segmentation fault after every test has passed and the summary is
    printed), which would turn a passing suite into a failed command. Everything pytest writes
    is done by now; the status is the session's own.
    """
    import sys

    if "jax" in sys.modules and "status" in _EXIT:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT["status"])


@pytest.fixture
def signals_as_of(june_raw, dataset):
    """``signals_as_of(day)``: ModelData with the signal terms on, as of ``day`` (2024), to a
    horizon end 60 days later, no statements."""
    from datetime import date, timedelta

    from forecast.config.scenario import parse_scenario
    from forecast.design.prepare import prepare

    def make(day: str):
        first = date.fromisoformat(day) + timedelta(days=1)
        end = first + timedelta(days=59)
        raw = dict(june_raw, as_of=day, horizon_end=end.isoformat(), indicators=[])
        window = {"name": "next 60 days", "start": first.isoformat(), "end": end.isoformat()}
        raw["windows"] = [window]
        raw["venues"] = {"judgments": []}
        raw.pop("ceasefire", None)
        raw["model"] = {"signals": True}
        return prepare(parse_scenario(raw), dataset)

    return make
