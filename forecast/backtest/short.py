"""The short-horizon track: daily and weekly origins around every meeting and signal episode.

Signals act over days and weeks, so the monthly track (90 and 180 days) cannot see them. This
track fits the model at weekly origins through every signal episode of the dataset (from two
weeks before its first signal in the fit to a week after its last) and at daily origins in the
ten days before each meeting, each with only what was known that day, and scores the
probability of a meeting within 7, 14 and 30 days against two references: the constant rate
(:mod:`forecast.backtest.baselines`) and the naive rule "an official announcement with dates is
a yes": 1 when a live announcement's window falls inside the window scored, else 0.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import numpy as np

from forecast.backtest.engine import Engine, covariate_names
from forecast.backtest.origins import Template, scenario_at, with_signals
from forecast.backtest.run import OriginResult, origin_seed, score_origin
from forecast.backtest.scores import skill_interval, window_scores
from forecast.domain.record import Dataset
from forecast.domain.signals import ANNOUNCEMENT, in_fit
from forecast.model.backends import refit_target_accept

WINDOWS = (7, 14, 30)
LEAD_DAYS = 14  # weekly origins start this long before an episode's first signal
AFTER_DAYS = 7  # and end this long after its last
DAILY_DAYS = 10  # daily origins in the days before each meeting
#: The files the track writes into its output directory (replaced as one unit).
SHORT_FILES = ("short-horizon.json",)
#: The default output directory: beside the monthly backtest's ``reports/backtest/``, where the
#: report looks for it (:func:`forecast.report.track.short_track`).
DEFAULT_OUT = Path("reports") / "backtest-short"
BLOCK = 5  # block length of the bootstrap, in origins (about a month of weekly origins)
RULE = "official announcement = yes"


def short_origins(dataset: Dataset, longest: int = max(WINDOWS)) -> list[date]:
    """The origins: weekly through each signal episode, daily before each meeting, within
    the coverage and early enough for the longest window to end by its end."""
    meta = dataset.meta
    last = meta.coverage_end - timedelta(days=longest)
    days: set[date] = set()
    episodes: dict[str, list[date]] = {}
    for s in dataset.signals:
        if in_fit(s) and s.episode:
            episodes.setdefault(s.episode, []).append(s.date)
    for dates in episodes.values():
        day, end = min(dates) - timedelta(days=LEAD_DAYS), max(dates) + timedelta(days=AFTER_DAYS)
        while day <= end:
            days.add(day)
            day += timedelta(days=7)
    for meeting in dataset.events:
        for k in range(1, DAILY_DAYS + 1):
            days.add(meeting.date - timedelta(days=k))
    return sorted(d for d in days if meta.coverage_start < d <= last)


def announcement_rule(dataset: Dataset, origin: date, window_days: int) -> float:
    """1.0 if an official announcement with dates known on ``origin`` is live (no meeting
    since it, no cancellation since it) and its window overlaps the ``window_days`` days after
    ``origin``; else 0.0."""
    record = dataset.known_on(origin)
    signals = [s for s in record.signals if in_fit(s)]
    first, last = origin + timedelta(days=1), origin + timedelta(days=window_days)
    for a in signals:
        if a.kind != ANNOUNCEMENT or a.window_end < first or a.window_from > last:
            continue
        met = any(a.date < m.date <= origin for m in record.events)
        cancelled = any(s.kind == "cancellation" and s.date >= a.date for s in signals)
        if not met and not cancelled:
            return 1.0
    return 0.0


def run_short(
    dataset: Dataset,
    template: Template,
    *,
    draws: int,
    tune: int,
    chains: int,
    seed: int,
    days: list[date] | None = None,
    echo: Callable[[str], None] = lambda _: None,
) -> dict:
    """Fit at every origin of :func:`short_origins` (or of ``days``); return the forecasts and
    the scores.

    Returns
    -------
    dict
        ``origins`` (per origin and window: the model's probability, the constant rate's, the
        rule's, the outcome and the fit's divergent transitions), ``scores`` (per window: Brier
        scores and Brier skill against each reference, with 80% block-bootstrap intervals) and
        the run's settings.
    """
    from forecast.design.prepare import prepare

    t0 = time.perf_counter()
    days = short_origins(dataset) if days is None else sorted(days)
    plan = [
        with_signals(scenario_at(template, d, d + timedelta(days=max(WINDOWS)), WINDOWS))
        for d in days
    ]
    first = prepare(plan[0], dataset)
    engine = Engine(covariate_names(plan[0], dataset.dyad), first)
    engine.warm([first], draws=draws, tune=tune, chains=chains)
    echo(f"compiled the model in {engine.compile_seconds:.1f} s; {len(plan)} origins")
    results: list[OriginResult] = []
    divergences = 0
    for k, sc in enumerate(plan):
        data = first if k == 0 else prepare(sc, dataset)
        fit = engine.fit(
            data, draws=draws, tune=tune, chains=chains, seed=origin_seed(seed, sc.as_of)
        )
        divergences += int(fit.diagnostics.get("divergences", 0))
        results.append(score_origin(dataset, data, fit))
        if (k + 1) % 25 == 0 or k + 1 == len(plan):
            echo(f"  {k + 1}/{len(plan)} origins")
    rows = []
    for r in results:
        for w in r.windows:
            rows.append(
                {
                    "origin": r.origin.isoformat(),
                    "window_days": w["window_days"],
                    "p": w["p"],
                    "constant": w["constant"],
                    "rule": announcement_rule(dataset, r.origin, w["window_days"]),
                    "outcome": w["outcome"],
                    "divergences": int(r.diagnostics.get("divergences", 0)),
                }
            )
    scores = []
    for w in WINDOWS:
        sel = [x for x in rows if x["window_days"] == w]
        s = window_scores(
            np.array([x["outcome"] for x in sel]),
            np.array([x["p"] for x in sel]),
            {
                "constant": np.array([x["constant"] for x in sel]),
                RULE: np.array([x["rule"] for x in sel]),
            },
            block=BLOCK,
            seed=seed,
        )
        scores.append({"window_days": w, **s})
    return {
        "dataset": dataset.meta.name,
        "settings": {
            "draws": draws,
            "tune": tune,
            "chains": chains,
            "seed": seed,
            "target_accept": refit_target_accept(first.announce is not None),
        },
        "n_origins": len(days),
        "divergences": divergences,
        "seconds": round(time.perf_counter() - t0, 1),
        "scores": scores,
        "origins": rows,
    }


def short_summary(doc: dict) -> str:
    """The track's scores as text: one line per window and reference."""
    flagged = len({x["origin"] for x in doc["origins"] if x.get("divergences")})
    lines = [
        f"Short-horizon track ({doc['dataset']}): {doc['n_origins']} origins around every "
        f"meeting and signal episode; {doc['divergences']} divergent transitions, in "
        f"{flagged} of the {doc['n_origins']} fits"
    ]
    for s in doc["scores"]:
        b = s["brier"]
        lines.append(
            f"  {s['window_days']:>2} days: {s['n_events']} of {s['n']} origins followed by a "
            f"meeting; Brier {b['value']:.3f} ({b['lo']:.3f} to {b['hi']:.3f})"
        )
        for ref in s["baselines"]:
            k, rb = ref["bss"], ref["brier"]
            lines.append(
                f"      vs {ref['name']}: Brier {rb['value']:.3f}, skill {k['value']:+.2f} "
                f"({skill_interval(k)}, 80% block bootstrap)"
            )
    return "\n".join(lines)


def finite(value):
    """``value`` with every infinite or undefined number replaced by None (valid JSON): the
    rule's log score is infinite whenever it says 0 and a meeting follows."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def short_backtest(
    out_dir: str | None,
    *,
    dataset: str,
    template: str | None,
    draws: int,
    tune: int,
    chains: int,
    seed: int,
    echo: Callable[[str], None] = lambda _: None,
) -> tuple[dict, str]:
    """Run the short-horizon track and write ``short-horizon.json`` into ``out_dir`` (default
    :data:`DEFAULT_OUT`, beside the monthly backtest's directory, which is replaced whole by
    each monthly run), as one unit; return the document and the file's path.

    The output directory is checked before anything is fitted (one-line error)."""
    import json
    from pathlib import Path

    from forecast.backtest.origins import default_template, load_template
    from forecast.domain.record import dataset_dir, load_dataset
    from forecast.io.out_path import check_out_path
    from forecast.io.staging import StagedDir

    out = Path(out_dir) if out_dir is not None else DEFAULT_OUT
    check_out_path(out, SHORT_FILES)
    data = load_dataset(dataset_dir(dataset, source="--dataset"))
    tpl = load_template(template or default_template(data.meta.name), data)
    doc = run_short(data, tpl, draws=draws, tune=tune, chains=chains, seed=seed, echo=echo)
    doc["data_sha256"] = data.sha256
    doc["template_sha256"] = tpl.sha256
    text = json.dumps(finite(doc), indent=2, ensure_ascii=False, allow_nan=False)
    with StagedDir(out, names=SHORT_FILES) as staged:
        staged.write_text(SHORT_FILES[0], text + "\n")
        staged.commit()
    return doc, str(out / SHORT_FILES[0])
