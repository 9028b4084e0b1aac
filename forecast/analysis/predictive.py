"""Posterior predictive check of the timing model against the historical record.

The check simulates Kim–Putin summits over the fitted period from each posterior draw,
*conditional on the historical covariate path*: each segment of constant covariates gets
``Poisson(exposure * hazard)`` summits placed uniformly inside it, which is the likelihood the
model was fitted with. The simulated summits do not feed back into the covariates (the time
since the last summit, the host turn), so the check asks whether the fitted hazard explains the
record, not whether the model would generate a similar history from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from forecast.analysis.explore import segment_hazard
from forecast.design.prepare import ModelData
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.predict import INTERVAL, Draws

MAX_SEGMENT_SUMMITS = 50.0  # simulated summits per segment are capped here (see predictive_check)
REPEAT_YEARS = 1.0  # a summit within this many years of the previous one counts as a repeat


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
    """Simulated and observed summits of the dyad over the fitted period."""

    start: date
    end: date
    years: np.ndarray  # (Y,) calendar years of the fitted period
    exposure: np.ndarray  # (Y,) years of each calendar year inside the fitted period
    observed: np.ndarray  # (Y,) summits per year in the record
    expected: np.ndarray  # (D, Y) integrated hazard per year, per draw
    simulated: np.ndarray  # (D, Y) simulated summits per year
    observed_days: np.ndarray  # datetime64[D] of the record's summits
    statistics: list[CheckStatistic] = field(default_factory=list)
    pair: str = "the two leaders'"  # "Kim–Putin", for the words

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
        The run's model inputs (:meth:`forecast.io.rundir.SavedRun.model_data`).
    draws
        Posterior draws (:func:`posterior_draws`).
    seed
        Seed of the simulation; the same seed and draws give the same check.
    max_draws
        Use only the first ``max_draws`` draws (all if None).
    """
    if max_draws is not None:
        draws = draws.take(slice(max_draws))
    rng = np.random.default_rng(seed)
    hist = data.history
    origin_day = hist.start[0]
    seg_start = (hist.start - origin_day).astype(float)
    seg_days = (hist.end - hist.start).astype(float) + 1
    finish = float(seg_start[-1] + seg_days[-1])

    hazard = segment_hazard(data, draws)
    # A draw whose hazard implies more than MAX_SEGMENT_SUMMITS summits in one segment (a wide
    # prior's tail inside an announced window) is held at that many: it fails every statistic
    # either way, and the simulated record stays small enough to build.
    counts = rng.poisson(np.minimum(hazard * hist.exposure[None, :], MAX_SEGMENT_SUMMITS))
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
        [np.datetime64(s.date, "D") for s in data.record.events], dtype="M8[D]"
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
        "summits": f"{data.dyad.pair_short} summits in the fitted period",
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
        pair=data.dyad.pair_short,
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
        f"({n} {check.pair} summit{'s' if n != 1 else ''} in the record, "
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
