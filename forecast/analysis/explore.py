"""Exploring a finished run: which run, convergence, effects on the stated scale and the hazard
over the historical period.

Everything here works from a saved run (:func:`forecast.io.rundir.load_run`) and the model's
inputs rebuilt from it (:meth:`~forecast.io.rundir.SavedRun.model_data`); only :func:`ensure_run`
and :func:`forecast.analysis.whatif.what_if` sample. The notebook
``notebooks/explore_posteriors.ipynb`` is built on these modules, so it holds no model code of
its own.

The posterior predictive check is in :mod:`forecast.analysis.predictive`, the re-forecasts in
:mod:`forecast.analysis.whatif`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from forecast import scenarios
from forecast.design.announced import daily_hazard
from forecast.design.prepare import ModelData
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.effects import effects
from forecast.errors import InputError
from forecast.io.rundir import SavedRun
from forecast.predict import INTERVAL, Draws
from forecast.priors.elicit import Prior

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIO = scenarios.path("june-anniversary.yaml")
DEFAULT_RUN = Path("reports") / "june-anniversary"  # relative to the project root


def project_root(start: Path | None = None) -> Path:
    """The project the notebook belongs to: the nearest directory at or above ``start`` (the
    current directory) holding ``pyproject.toml`` and ``forecast/``, else the checkout this
    package was imported from.

    Jupyter starts the kernel in ``notebooks/``; relative paths are resolved against this root,
    so ``SUMMIT_RUN_DIR=reports/before-ceasefire`` means the same directory whichever folder
    the kernel started in.
    """
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file() and (folder / "forecast").is_dir():
            return folder
    return ROOT


# --- settings and the run -------------------------------------------------------------------


@dataclass(frozen=True)
class ExploreSettings:
    """Which run to explore and the sampler settings used if it has to be created.

    ``run_given`` and ``scenario_given`` say whether the run directory and the scenario were
    chosen (``SUMMIT_RUN_DIR``, ``SUMMIT_SCENARIO``) or are the defaults:
    :func:`forecast.workflow.ensure_run` only creates a missing run directory that was not
    chosen, or one whose scenario was chosen too, so it never shows the default scenario's
    numbers under another run's name.
    """

    run_dir: Path = ROOT / DEFAULT_RUN
    scenario: Path = DEFAULT_SCENARIO
    draws: int = 500
    tune: int = 500
    chains: int = 2
    seed: int | None = None  # None: the scenario's own seed
    run_given: bool = False
    scenario_given: bool = False

    def describe(self) -> str:
        """One line naming the run directory and where its settings came from."""
        chosen = "SUMMIT_RUN_DIR" if self.run_given else "the default"
        return f"run directory {self.run_dir} ({chosen})"


def settings_from_env(
    environ: Mapping[str, str] | None = None, root: Path | None = None
) -> ExploreSettings:
    """Read :class:`ExploreSettings` from ``SUMMIT_*`` environment variables.

    ``SUMMIT_RUN_DIR`` and ``SUMMIT_SCENARIO`` are paths; relative ones are resolved against
    ``root`` (default :func:`project_root`), never against the folder the kernel started in.
    ``SUMMIT_DRAWS``, ``SUMMIT_TUNE``, ``SUMMIT_CHAINS`` and ``SUMMIT_SEED`` are integers.
    Unset variables keep the defaults of :class:`ExploreSettings` (the default run directory
    under ``root``).

    Raises
    ------
    InputError
        If a number is not a positive integer (a non-negative one for the seed), or a path
        points inside the project's ``notebooks/`` folder (runs are never kept there).
    """
    env = os.environ if environ is None else environ
    base = project_root() if root is None else Path(root).resolve()
    values: dict = {"run_dir": base / DEFAULT_RUN}
    for key, name in (("run_dir", "SUMMIT_RUN_DIR"), ("scenario", "SUMMIT_SCENARIO")):
        text = env.get(name, "").strip()
        if not text:
            continue
        path = Path(text).expanduser()
        path = (path if path.is_absolute() else base / path).resolve()
        notebooks = (base / "notebooks").resolve()
        if key == "run_dir" and (path == notebooks or notebooks in path.parents):
            raise InputError(
                "environment",
                name,
                f"{path} is inside {notebooks}; expected a run directory elsewhere, e.g. "
                "reports/<scenario name>",
            )
        values[key] = path
        values[f"{key.split('_')[0]}_given"] = True
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


def posterior_draws(run: SavedRun) -> Draws:
    """The run's posterior draws, flattened over chains."""
    return Draws.from_dataset(run.idata["posterior"].to_dataset())


def convergence_table(idata: xr.DataTree) -> pd.DataFrame:
    """R-hat, bulk and tail ESS of every parameter, with the thresholds ``forecast run`` uses.

    Columns: ``mean``, ``sd``, ``ess_bulk``, ``ess_tail``, ``r_hat`` (ArviZ's summary) and
    ``problem`` (empty when R-hat <= 1.01 and both ESS >= 400, as in ``forecast.model.sample``).
    """
    import arviz_stats as azs

    from forecast.model.build import PARAMETERS
    from forecast.model.sample import ESS_MIN, RHAT_MAX

    present = [v for v in PARAMETERS if v in idata["posterior"]]
    table = azs.summary(idata, var_names=present, kind="all")
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
    return {
        e.name: (e.parameter, {} if e.dim is None else {e.dim: e.coord}, e.prior)
        for e in effects(data)
    }


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


# --- news and signals -------------------------------------------------------------------------

#: The claim probabilities of the signal terms: name -> (parameter, what it is).
CLAIMS = {
    "q": ("announce_logit", "an official announcement with dates is kept"),
    "q_f": ("framed_logit", "a time-framed signal is borne out"),
}


#: How :func:`signals_table` names the claim a signal is read as.
CLAIM_WORDS = {"announced_meeting": "announced meeting", "framed_claim": "time-framed claim"}


def claim_priors(data: ModelData) -> dict[str, Prior]:
    """The priors of ``q`` and ``q_f`` (empty without the signal terms)."""
    if data.announce is None or data.framed is None:
        return {}
    return {"q": data.announce, "q_f": data.framed}


def claims_tree(data: ModelData, idata: xr.DataTree) -> xr.DataTree | None:
    """Prior and posterior of ``q`` and ``q_f`` as probabilities (the inverse logit of their
    parameters); None for a run without the signal terms."""
    from scipy.special import expit

    if not claim_priors(data) or "announce_logit" not in idata["posterior"].data_vars:
        return None
    groups = {}
    for group in ("prior", "posterior"):
        ds = idata[group].to_dataset()
        groups[group] = xr.Dataset({name: expit(ds[param]) for name, (param, _) in CLAIMS.items()})
    return xr.DataTree.from_dict(groups)


def signals_table(doc) -> pd.DataFrame:
    """The run's live signals (``forecast.json``'s ``signals``), one row each: date, kind, who,
    the window it states, the venue it names, the headline without it and without every live
    signal of its kind, and how often signals of its kind were followed by a meeting within 30
    days in the record as known then. Empty for a run without live signals.

    Parameters
    ----------
    doc
        The run's :class:`~forecast.io.document.ForecastDocument`.
    """
    from forecast.io.signals_part import FOLLOWED_DAYS, window_text

    labels = doc.dyad.venue_labels if doc.dyad is not None else {}
    rows = [
        {
            "date": s.date,
            "kind": s.kind.replace("_", " "),
            "who": s.who,
            "window": window_text(s.window_start, s.window_end, s.date) or "none stated",
            "read as": CLAIM_WORDS.get(s.claim, ""),
            "venue": labels.get(s.venue_class, s.venue_class) if s.venue_class else "",
            "P without it": s.p_without,
            "P without its kind": s.p_without_kind,
            f"followed within {FOLLOWED_DAYS} days": f"{s.record_followed} of {s.record_total}",
        }
        for s in doc.signals
    ]
    return pd.DataFrame(rows)


#: An episode counts as followed by a meeting if one came within this many days of its last
#: signal (the report's and the terminal's rule for a single signal).
EPISODE_FOLLOWED_DAYS = 30


def signal_episodes(data: ModelData) -> pd.DataFrame:
    """The record's signals in the fit (as known on ``as_of``), grouped by the dataset's
    episodes, each timed against the meeting the episode is about: the summit that names it
    (``summits.csv``'s ``episode``), or for an episode no summit names, the first meeting on
    or after its first signal and within :data:`EPISODE_FOLLOWED_DAYS` of its last that names
    no other episode, if any.

    One row per signal: ``episode``, ``date``, ``kind``, ``stance``, ``meeting`` (the date, or
    None for an episode no meeting followed), ``status`` (``met``; ``open``: no meeting yet,
    and ``as_of`` is within :data:`EPISODE_FOLLOWED_DAYS` of its last signal; ``no meeting``),
    ``days_before`` (days from the signal to the meeting, or to the episode's last signal when
    none followed; negative for a signal after the meeting). Signals without an episode are
    left out. Ordered by the episodes' first signals, then by date.
    """
    from forecast.domain.signals import in_fit

    include = data.scenario.model.include_uncertain_signals
    episodes: dict[str, list] = {}
    for sig in data.record.signals:
        if sig.episode and in_fit(sig, include_uncertain=include):
            episodes.setdefault(sig.episode, []).append(sig)
    events = data.record.events
    named = data.record.episode_meetings
    unnamed = sorted(m.date for m in events if m.episode is None)
    rows = []
    for name, sigs in sorted(episodes.items(), key=lambda kv: min(x.date for x in kv[1])):
        first, last = min(x.date for x in sigs), max(x.date for x in sigs)
        horizon = last + timedelta(days=EPISODE_FOLLOWED_DAYS)
        meeting = named.get(name) or next((m for m in unnamed if first <= m <= horizon), None)
        ref = meeting or last
        if meeting is not None:
            status = "met"
        else:
            status = "open" if horizon > data.scenario.as_of else "no meeting"
        for sig in sorted(sigs, key=lambda x: x.date):
            rows.append(
                {
                    "episode": name,
                    "date": sig.date,
                    "kind": sig.kind,
                    "stance": sig.effective_stance,
                    "meeting": meeting,
                    "status": status,
                    "days_before": (ref - sig.date).days,
                }
            )
    columns = ["episode", "date", "kind", "stance", "meeting", "status", "days_before"]
    return pd.DataFrame(rows, columns=columns)


def news_to_come(data: ModelData, draws: Draws, interval=INTERVAL) -> pd.DataFrame | None:
    """The news still to come (docs/model.md §3.5) at each lag of :data:`~forecast.design.
    news.LAGS`: the horizon's hazard multiplier ``G_h`` (posterior mean and ``interval``) and
    the part of each of the record's meetings that news of fewer than ``h`` days explains
    (posterior mean, one column per meeting date). None when the run has no news to come.
    """
    from forecast.design.news import meeting_shares, uplift

    news = next((p.news for p in data.paths if p.news is not None), None)
    if news is None:
        return None
    own = draws.news_inputs()
    g = uplift(news, *own)
    shares = meeting_shares(news, *own).mean(axis=0)  # (B, M)
    lo, hi = np.quantile(g, interval, axis=0)
    table = pd.DataFrame({"lag_days": list(news.lags), "G": g.mean(axis=0), "G_lo": lo, "G_hi": hi})
    for m, day in enumerate(news.meeting_dates):
        table[f"share {day}"] = shares[:, m]
    return table


# --- the hazard over the fitted period ------------------------------------------------------


def segment_hazard(data: ModelData, draws: Draws) -> np.ndarray:
    """(D, S) hazard of a summit (per year) on each historical segment, per draw: the
    background's, plus an announced meeting's on the days of an announced window."""
    hist = data.history
    hazard = np.exp(draws.log_rate[:, None] + draws.beta @ hist.X.T)
    if draws.announce_logit is not None and hist.announced is not None and hist.announced.any:
        announced = daily_hazard(*draws.claim_probabilities(), hist.announced)  # per day
        hazard = hazard + announced / (hist.exposure * DAYS_PER_YEAR)
    return hazard


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
