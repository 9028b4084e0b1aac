"""Exploring a finished run: effects on the stated scale, the historical hazard, posterior
predictive checks against the record, and "what if" re-forecasts.

Everything here works from a saved run (:func:`forecast.rundir.load_run`) and the model's
inputs rebuilt from it (:meth:`~forecast.rundir.SavedRun.model_data`); only :func:`ensure_run`
and :func:`what_if` sample. The notebook ``notebooks/explore_posteriors.ipynb`` is built on
these functions, so it holds no model code of its own.

The posterior predictive check simulates Kim–Putin summits over the fitted period from each
posterior draw, *conditional on the historical covariate path*: each segment of constant
covariates gets ``Poisson(exposure * hazard)`` summits placed uniformly inside it, which is the
likelihood the model was fitted with. The simulated summits do not feed back into the covariates
(the time since the last summit, the host turn), so the check asks whether the fitted hazard
explains the record, not whether the model would generate a similar history from scratch.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr
import yaml

from forecast.covariates import DAYS_PER_YEAR
from forecast.design import ModelData
from forecast.elicit import Prior
from forecast.errors import InputError
from forecast.predict import INTERVAL, Draws
from forecast.rundir import SavedRun, load_run
from forecast.spec import Scenario
from forecast.venues import VENUE_ATTRS
from forecast.vocab import VENUE_CLASSES, VENUE_LABELS

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SCENARIO = ROOT / "scenarios" / "june-anniversary.yaml"
DEFAULT_RUN_DIR = ROOT / "reports" / "june-anniversary"
REPEAT_YEARS = 1.0  # a summit within this many years of the previous one counts as a repeat


# --- settings and the run -------------------------------------------------------------------


@dataclass(frozen=True)
class ExploreSettings:
    """Which run to explore and the sampler settings used if it has to be created."""

    run_dir: Path = DEFAULT_RUN_DIR
    scenario: Path = DEFAULT_SCENARIO
    draws: int = 500
    tune: int = 500
    chains: int = 2
    seed: int | None = None  # None: the scenario's own seed


def settings_from_env(environ: Mapping[str, str] | None = None) -> ExploreSettings:
    """Read :class:`ExploreSettings` from ``SUMMIT_*`` environment variables.

    ``SUMMIT_RUN_DIR`` and ``SUMMIT_SCENARIO`` are paths (relative ones against the current
    directory); ``SUMMIT_DRAWS``, ``SUMMIT_TUNE``, ``SUMMIT_CHAINS`` and ``SUMMIT_SEED`` are
    integers. Unset variables keep the defaults of :class:`ExploreSettings`.

    Raises
    ------
    InputError
        If a number is not a positive integer (a non-negative one for the seed).
    """
    env = os.environ if environ is None else environ
    values: dict = {}
    for key, name in (("run_dir", "SUMMIT_RUN_DIR"), ("scenario", "SUMMIT_SCENARIO")):
        if env.get(name):
            values[key] = Path(env[name]).expanduser().resolve()
    for key, name, least in (
        ("draws", "SUMMIT_DRAWS", 1),
        ("tune", "SUMMIT_TUNE", 1),
        ("chains", "SUMMIT_CHAINS", 1),
        ("seed", "SUMMIT_SEED", 0),
    ):
        text = env.get(name, "").strip()
        if not text:
            continue
        try:
            number = int(text)
        except ValueError:
            number = least - 1
        if number < least:
            kind = "a positive integer" if least else "a non-negative integer"
            raise InputError("environment", name, f"expected {kind}, got {text!r}")
        values[key] = number
    return ExploreSettings(**values)


def ensure_run(settings: ExploreSettings) -> SavedRun:
    """Load ``settings.run_dir``; if it does not exist yet, run the scenario into it first.

    An existing directory is never overwritten: if it is not a valid run, the
    :class:`~forecast.errors.InputError` from :func:`~forecast.rundir.load_run` says why.
    """
    if not settings.run_dir.exists():
        from forecast.runner import run

        run(
            settings.scenario,
            settings.run_dir,
            draws=settings.draws,
            tune=settings.tune,
            chains=settings.chains,
            seed=settings.seed,
        )
    return load_run(settings.run_dir)


def posterior_draws(run: SavedRun) -> Draws:
    """The run's posterior draws, flattened over chains."""
    return Draws.from_dataset(run.idata["posterior"].to_dataset())


def convergence_table(idata: xr.DataTree) -> pd.DataFrame:
    """R-hat, bulk and tail ESS of every parameter, with the thresholds ``forecast run`` uses.

    Columns: ``mean``, ``sd``, ``ess_bulk``, ``ess_tail``, ``r_hat`` (ArviZ's summary) and
    ``problem`` (empty when R-hat <= 1.01 and both ESS >= 400, as in ``forecast.fit``).
    """
    import arviz_stats as azs

    from forecast.fit import ESS_MIN, RHAT_MAX
    from forecast.model import PARAMETERS

    table = azs.summary(idata, var_names=list(PARAMETERS), kind="all")
    table = pd.DataFrame(table)[["mean", "sd", "ess_bulk", "ess_tail", "r_hat"]].astype(float)
    problems = []
    for _, row in table.iterrows():
        found = []
        if row["r_hat"] > RHAT_MAX:
            found.append(f"R-hat > {RHAT_MAX}")
        if min(row["ess_bulk"], row["ess_tail"]) < ESS_MIN:
            found.append(f"ESS < {ESS_MIN}")
        problems.append("; ".join(found))
    table["problem"] = problems
    return table


def divergences(idata: xr.DataTree) -> pd.Series:
    """Divergent transitions per chain (after tuning)."""
    diverging = idata["sample_stats"]["diverging"]
    counts = diverging.sum("draw").to_series().astype(int)
    counts.index.name = "chain"
    return counts.rename("divergences")


# --- effects on the scale they were stated on -----------------------------------------------


def effect_priors(data: ModelData) -> dict[str, tuple[str, dict, Prior]]:
    """Every model effect: ``name -> (parameter, selection, prior)``, in the report's order."""
    out: dict[str, tuple[str, dict, Prior]] = {"baseline": ("log_rate", {}, data.baseline)}
    for cov in data.covariates:
        out[cov.name] = ("beta", {"covariate": cov.name}, cov.prior)
    for alt, prior in zip(VENUE_CLASSES[1:], data.venue_asc, strict=True):
        out[f"venue:{alt}"] = ("venue_asc", {"venue_alt": alt}, prior)
    for attr, prior in zip(VENUE_ATTRS, data.venue_effects, strict=True):
        out[attr] = ("venue_beta", {"venue_attr": attr}, prior)
    return out


def effects_tree(data: ModelData, idata: xr.DataTree) -> xr.DataTree:
    """Prior and posterior of every effect as the log multiplier on its stated scale.

    One variable per effect (named as in :func:`effect_priors`), so the analysts' stated ranges
    ``[log low, log high]`` apply directly. Effects stated on a scaled contrast (the wartime
    travel effect) are multiplied back by their scale, as in ``forecast.json``'s ``effects``.
    """
    groups = {}
    for group in ("prior", "posterior"):
        ds = idata[group].to_dataset()
        groups[group] = xr.Dataset(
            {
                name: ds[param].sel(sel, drop=True) * prior.scale
                for name, (param, sel, prior) in effect_priors(data).items()
            }
        )
    return xr.DataTree.from_dict(groups)


# --- the hazard over the fitted period ------------------------------------------------------


def segment_hazard(data: ModelData, draws: Draws) -> np.ndarray:
    """(D, S) hazard of a Kim–Putin summit (per year) on each historical segment, per draw."""
    return np.exp(draws.log_rate[:, None] + draws.beta @ data.history.X.T)


def historical_hazard(data: ModelData, draws: Draws, interval=INTERVAL) -> xr.Dataset:
    """Posterior mean and equal-tailed interval of the hazard over the fitted period.

    Returns
    -------
    xarray.Dataset
        Variables ``mean``, ``lo`` and ``hi`` (summits per year) over the dimension
        ``segment``, with coordinates ``start`` and ``end`` (inclusive days).
    """
    hz = segment_hazard(data, draws)
    lo, hi = np.quantile(hz, interval, axis=0)
    hist = data.history
    return xr.Dataset(
        {"mean": ("segment", hz.mean(axis=0)), "lo": ("segment", lo), "hi": ("segment", hi)},
        coords={"start": ("segment", hist.start), "end": ("segment", hist.end)},
        attrs={"interval": float(interval[1] - interval[0]), "units": "summits per year"},
    )


# --- posterior predictive check -------------------------------------------------------------


@dataclass
class CheckStatistic:
    """One summary of the record, observed and simulated from the posterior predictive."""

    name: str
    description: str
    observed: float
    simulated: np.ndarray  # (D,)

    @property
    def p_at_least(self) -> float:
        """Share of simulations at least as large as the record."""
        return float(np.mean(self.simulated >= self.observed))

    @property
    def p_at_most(self) -> float:
        """Share of simulations at most as large as the record."""
        return float(np.mean(self.simulated <= self.observed))


@dataclass
class PredictiveCheck:
    """Simulated and observed Kim–Putin summits over the fitted period."""

    start: date
    end: date
    years: np.ndarray  # (Y,) calendar years of the fitted period
    exposure: np.ndarray  # (Y,) years of each calendar year inside the fitted period
    observed: np.ndarray  # (Y,) summits per year in the record
    expected: np.ndarray  # (D, Y) integrated hazard per year, per draw
    simulated: np.ndarray  # (D, Y) simulated summits per year
    observed_days: np.ndarray  # datetime64[D] of the record's summits
    statistics: list[CheckStatistic] = field(default_factory=list)

    def p_any(self) -> np.ndarray:
        """(Y,) share of simulations with at least one summit in each year."""
        return (self.simulated >= 1).mean(axis=0)

    def table(self) -> pd.DataFrame:
        """One row per statistic: observed value, simulated mean and 80% interval, tails."""
        rows = []
        for s in self.statistics:
            lo, hi = np.quantile(s.simulated, INTERVAL)
            rows.append(
                {
                    "statistic": s.name,
                    "observed": s.observed,
                    "simulated mean": float(np.mean(s.simulated)),
                    "simulated 80% interval": f"{lo:.2f}–{hi:.2f}",
                    "P(sim >= obs)": s.p_at_least,
                    "P(sim <= obs)": s.p_at_most,
                }
            )
        return pd.DataFrame(rows).set_index("statistic")


def _year_exposure(start: np.ndarray, end: np.ndarray, years: np.ndarray) -> np.ndarray:
    """(S, Y) days of each segment [start, end] inside each calendar year, in years."""
    first = np.array([np.datetime64(f"{y}-01-01", "D") for y in years])
    last = np.array([np.datetime64(f"{y}-12-31", "D") for y in years])
    lo = np.maximum(start[:, None], first[None, :])
    hi = np.minimum(end[:, None], last[None, :])
    days = (hi - lo).astype(int) + 1
    return np.maximum(days, 0) / DAYS_PER_YEAR


def _statistics(times: list[np.ndarray], origin: float, finish: float) -> dict[str, np.ndarray]:
    """Summaries of each draw's sorted summit times (in days since the period's start)."""
    total, longest, repeats = [], [], []
    for t in times:
        edges = np.concatenate([[origin], t, [finish]])
        waits = np.diff(edges)
        total.append(len(t))
        longest.append(waits.max() / DAYS_PER_YEAR)
        repeats.append(int(np.sum(np.diff(t) <= REPEAT_YEARS * DAYS_PER_YEAR)))
    return {
        "summits": np.array(total, dtype=float),
        "longest wait": np.array(longest),
        "repeat summits": np.array(repeats, dtype=float),
    }


def predictive_check(
    data: ModelData, draws: Draws, *, seed: int = 0, max_draws: int | None = None
) -> PredictiveCheck:
    """Simulate the fitted period's Kim–Putin summits from the posterior predictive.

    Each draw's hazard is integrated over every historical segment; the segment's summit count
    is ``Poisson(exposure * hazard)`` and the summits fall uniformly within the segment (the
    hazard is constant there). See the module docstring for what the check does and does not
    test.

    Parameters
    ----------
    data
        The run's model inputs (:meth:`forecast.rundir.SavedRun.model_data`).
    draws
        Posterior draws (:func:`posterior_draws`).
    seed
        Seed of the simulation; the same seed and draws give the same check.
    max_draws
        Use only the first ``max_draws`` draws (all if None).
    """
    if max_draws is not None:
        draws = Draws(
            draws.log_rate[:max_draws],
            draws.beta[:max_draws],
            draws.venue_asc[:max_draws],
            draws.venue_beta[:max_draws],
        )
    rng = np.random.default_rng(seed)
    hist = data.history
    origin_day = hist.start[0]
    seg_start = (hist.start - origin_day).astype(float)
    seg_days = (hist.end - hist.start).astype(float) + 1
    finish = float(seg_start[-1] + seg_days[-1])

    hazard = segment_hazard(data, draws)
    counts = rng.poisson(hazard * hist.exposure[None, :])
    d_idx, s_idx = np.nonzero(counts)
    reps = counts[d_idx, s_idx]
    d_all = np.repeat(d_idx, reps)
    s_all = np.repeat(s_idx, reps)
    t_all = seg_start[s_all] + rng.uniform(size=len(s_all)) * seg_days[s_all]
    order = np.lexsort((t_all, d_all))
    d_all, t_all = d_all[order], t_all[order]
    splits = np.searchsorted(d_all, np.arange(1, len(hazard)))
    times = np.split(t_all, splits)

    start, end = hist.start[0].astype(date), hist.end[-1].astype(date)
    years = np.arange(start.year, end.year + 1)
    exposure_sy = _year_exposure(hist.start, hist.end, years)
    sim_days = origin_day + np.floor(t_all).astype("timedelta64[D]")
    sim_years = sim_days.astype("datetime64[Y]").astype(int) + 1970
    simulated = np.zeros((len(hazard), len(years)), dtype=int)
    np.add.at(simulated, (d_all, sim_years - years[0]), 1)

    observed_days = np.array(
        [np.datetime64(s.date, "D") for s in data.record.summits if s.kim_putin], dtype="M8[D]"
    )
    observed_days = observed_days[
        (observed_days >= hist.start[0]) & (observed_days <= hist.end[-1])
    ]
    obs_years = observed_days.astype("datetime64[Y]").astype(int) + 1970
    observed = np.bincount(obs_years - years[0], minlength=len(years))
    obs_times = (observed_days - origin_day).astype(float) + 0.5
    obs_stats = _statistics([obs_times], 0.0, finish)
    sim_stats = _statistics(times, 0.0, finish)
    descriptions = {
        "summits": "Kim–Putin summits in the fitted period",
        "longest wait": "longest stretch without a summit, in years (including the stretches "
        "before the first and after the last)",
        "repeat summits": f"summits within {REPEAT_YEARS:g} year of the previous one",
    }
    return PredictiveCheck(
        start=start,
        end=end,
        years=years,
        exposure=exposure_sy.sum(axis=0),
        observed=observed,
        expected=hazard @ exposure_sy,
        simulated=simulated,
        observed_days=observed_days,
        statistics=[
            CheckStatistic(name, descriptions[name], float(obs_stats[name][0]), sim_stats[name])
            for name in descriptions
        ],
    )


def misfit_statement(check: PredictiveCheck, threshold: float = 0.1) -> str:
    """A plain statement, computed from ``check``, of where the model fits the record badly.

    A statistic is flagged when fewer than ``threshold`` of the simulations are as extreme as
    the record on one side; a year with a summit is flagged when fewer than ``threshold`` of
    the simulations have any summit in it.
    """
    n = len(check.observed_days)
    lines = []
    for s in check.statistics:
        if s.p_at_least < threshold:
            lines.append(
                f"{s.description}: the record has {s.observed:.3g}, more than all but "
                f"{100 * s.p_at_least:.0f}% of the simulations (mean {np.mean(s.simulated):.2g})."
            )
        elif s.p_at_most < threshold:
            lines.append(
                f"{s.description}: the record has {s.observed:.3g}, less than all but "
                f"{100 * s.p_at_most:.0f}% of the simulations (mean {np.mean(s.simulated):.2g})."
            )
    p_any = check.p_any()
    for year, obs, p in zip(check.years, check.observed, p_any, strict=True):
        if obs >= 1 and p < threshold:
            lines.append(
                f"{year}: a summit happened, but only {100 * p:.0f}% of the simulations have "
                f"one that year (expected {check.expected[:, year - check.years[0]].mean():.2f})."
            )
    head = (
        f"Posterior predictive check over {check.start} to {check.end} "
        f"({n} Kim–Putin summit{'s' if n != 1 else ''} in the record, "
        f"{len(check.statistics[0].simulated)} simulations)."
    )
    closest = _largest_discrepancies(check, p_any)
    if not lines:
        return (
            f"{head} No statistic and no summit year falls outside the central "
            f"{100 * (1 - 2 * threshold):.0f}% of the simulations. With so few summits the check "
            f"has little power: it rules out gross misfit, not subtler ones. {closest}"
        )
    return head + " Where the model fits badly:\n- " + "\n- ".join(lines) + "\n" + closest


def _largest_discrepancies(check: PredictiveCheck, p_any: np.ndarray) -> str:
    """The summit year the simulations reproduce least, and the quiet year they expect most."""
    expected = check.expected.mean(axis=0)
    parts = []
    hit = np.flatnonzero(check.observed >= 1)
    if len(hit):
        y = hit[np.argmin(p_any[hit])]
        parts.append(
            f"{check.years[y]} had a summit, which {100 * p_any[y]:.0f}% of the simulations "
            f"reproduce (expected {expected[y]:.2f} summits that year)"
        )
    quiet = np.flatnonzero(check.observed == 0)
    if len(quiet):
        y = quiet[np.argmax(expected[quiet])]
        parts.append(
            f"{check.years[y]} had none, although the model expects {expected[y]:.2f} "
            f"(at least one in {100 * p_any[y]:.0f}% of the simulations)"
        )
    return ("The largest discrepancies: " + "; ".join(parts) + ".") if parts else ""


# --- what if ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A named edit of a scenario's plain data (see :func:`indicator_range`, :func:`ceasefire`)."""

    description: str
    apply: Callable[[dict], None]


def indicator_range(
    indicator_id: str, multiplier: tuple[float, float], confidence: float | None = None
) -> Change:
    """Restate one indicator's (or venue judgment's) multiplier range, and optionally confidence."""
    low, high = multiplier

    def apply(raw: dict) -> None:
        items = list(raw.get("indicators") or []) + list(
            (raw.get("venues") or {}).get("judgments") or []
        )
        target = next(
            (i for i in items if isinstance(i, dict) and i.get("id") == indicator_id), None
        )
        if target is None:
            known = ", ".join(str(i.get("id")) for i in items if isinstance(i, dict))
            raise InputError(
                "<scenario>",
                "indicators",
                f"no indicator or venue judgment {indicator_id!r}; expected one of {known}",
            )
        target["multiplier"] = [low, high]
        if confidence is not None:
            target["confidence"] = confidence

    text = f"{indicator_id}: multiplier {low:g}–{high:g}"
    if confidence is not None:
        text += f", {100 * confidence:.0f}% sure"
    return Change(text, apply)


def ceasefire(assumption: str, start: date | str | None = None) -> Change:
    """Replace the scenario's ceasefire assumption (``war_continues`` or ``ceasefire``)."""

    def apply(raw: dict) -> None:
        block: dict = {"assumption": assumption}
        if start is not None:
            block["start"] = str(start)
        raw["ceasefire"] = block

    return Change(f"ceasefire: {assumption}" + (f" from {start}" if start else ""), apply)


def doubt(scenario: Scenario, indicator_id: str) -> Change:
    """Restate an indicator as centred on no effect, keeping its width and confidence.

    A range ``[low, high]`` becomes ``[1/w, w]`` with ``w = sqrt(high/low)``: the analyst is as
    sure as before about how large the effect could be, but no longer about its direction.
    """
    items = {i.id: i for i in (*scenario.indicators, *scenario.venues.judgments)}
    if indicator_id not in items:
        raise InputError(
            "<scenario>",
            "indicators",
            f"no indicator or venue judgment {indicator_id!r}; expected one of {', '.join(items)}",
        )
    item = items[indicator_id]
    low, high = item.multiplier
    w = round(float(np.sqrt(high / low)), 3)
    return indicator_range(indicator_id, (round(1 / w, 3), w), item.confidence)


def opposite_ceasefire(scenario: Scenario) -> Change:
    """The other ceasefire assumption: a ceasefire from the day after ``as_of``, or none."""
    if scenario.ceasefire.assumption == "ceasefire":
        return ceasefire("war_continues")
    return ceasefire("ceasefire", scenario.as_of + timedelta(days=1))


@dataclass
class WhatIf:
    """A scenario forecast before and after one change, fitted with identical settings."""

    change: Change
    old: dict
    new: dict
    old_dir: Path
    new_dir: Path
    sampler: dict

    def table(self) -> pd.DataFrame:
        """Old beside new: headline, windows and venues (see :func:`compare_documents`)."""
        return compare_documents(self.old, self.new)


def what_if(
    run: SavedRun,
    change: Change,
    *,
    out_dir: str | Path | None = None,
    draws: int | None = None,
    tune: int | None = None,
    chains: int | None = None,
    seed: int | None = None,
) -> WhatIf:
    """Re-forecast ``run``'s scenario with ``change`` applied; return old and new side by side.

    The changed scenario is validated before anything is sampled or written. Both forecasts
    use the same sampler settings and seed, by default those of ``run``, so the difference is
    the change and not Monte Carlo noise: if any setting is overridden, the original scenario
    is re-run with the same settings too (into ``out_dir/baseline``).

    Parameters
    ----------
    run
        The saved run to start from.
    change
        What to change, e.g. ``indicator_range("treaty_anniversary", (0.5, 2))``.
    out_dir
        Where the new run (``what-if/``) and, if needed, the re-run baseline (``baseline/``)
        are written; a new temporary directory if None.
    draws, tune, chains, seed
        Sampler settings; None keeps the saved run's.

    Raises
    ------
    InputError
        If the change names an unknown indicator or makes the scenario invalid.
    """
    from forecast.runner import run as run_scenario
    from forecast.spec import parse_scenario
    from forecast.yamlio import load_yaml

    raw = load_yaml(run.scenario_path)
    source = f"{run.scenario_path} (what-if: {change.description})"
    try:
        change.apply(raw)
    except InputError as exc:
        raise InputError(source, exc.field, exc.message) from None
    parse_scenario(raw, source)

    saved = run.document["sampler"]
    wanted = {"draws": draws, "tune": tune, "chains": chains, "seed": seed}
    settings = {k: saved[k] if v is None else v for k, v in wanted.items()}
    out = Path(out_dir) if out_dir is not None else Path(tempfile.mkdtemp(prefix="what-if-"))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scenario.yaml"
        path.write_text(
            f"# {run.scenario.name}, what-if: {change.description}\n"
            + yaml.safe_dump(raw, sort_keys=False, allow_unicode=True),
            encoding="utf-8",
        )
        new = run_scenario(path, out / "what-if", **settings).document
    if all(settings[k] == saved[k] for k in settings):
        old, old_dir = run.document, run.path
    else:
        old_dir = out / "baseline"
        old = run_scenario(run.scenario_path, old_dir, **settings).document
    return WhatIf(change, old, new, old_dir, out / "what-if", settings)


def compare_documents(old: dict, new: dict) -> pd.DataFrame:
    """Probabilities of two forecast documents side by side (posterior means, 80% intervals).

    Rows: the summit by the horizon's end, each window of ``old`` (matched by name), and each
    venue class. Columns: ``old``, ``new`` (mean with interval, as text), ``old p``, ``new p``
    and ``change`` (percentage points).
    """

    def fmt(x: dict | None) -> str:
        if x is None:
            return "n/a"
        return f"{100 * x['p']:.0f}% ({100 * x['lo']:.0f}–{100 * x['hi']:.0f}%)"

    rows: list[tuple[str, dict | None, dict | None]] = [
        (
            f"summit by {old['horizon_end']}",
            old["headline"]["by_horizon_end"],
            new["headline"]["by_horizon_end"],
        )
    ]
    new_windows = {w["name"]: w for w in new["windows"]}
    for w in old["windows"]:
        rows.append((f"window: {w['name']}", w, new_windows.get(w["name"])))
    new_venues = {v["venue"]: v for v in new["venues"]}
    for v in old["venues"]:
        rows.append((f"venue: {VENUE_LABELS[v['venue']]}", v, new_venues.get(v["venue"])))
    return pd.DataFrame(
        [
            {
                "quantity": name,
                "old": fmt(a),
                "new": fmt(b),
                "old p": a["p"] if a else np.nan,
                "new p": b["p"] if b else np.nan,
                "change (points)": 100 * (b["p"] - a["p"]) if a and b else np.nan,
            }
            for name, a, b in rows
        ]
    ).set_index("quantity")
