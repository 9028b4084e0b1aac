"""The backtest's outputs: backtest.json (the report's input), CSV tables, figures, summary."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import timedelta
from pathlib import Path

import numpy as np

from forecast import __version__
from forecast.backtest import BACKTEST_FILES
from forecast.backtest.baselines import BASELINES
from forecast.backtest.run import Backtest, ScoreSet
from forecast.backtest.scores import INTERVAL, venue_scores, window_scores
from forecast.domain.record import Dataset
from forecast.io.outputs import json_safe
from forecast.io.sanitize import csv_cell
from forecast.model.backends import REFIT_BACKEND

SCHEMA = "summit-forecast/backtest.json/1"
BOOTSTRAP = "circular block bootstrap over origins, blocks as long as the window"
BOOTSTRAP_CASES = (
    "circular block bootstrap over the rows in as_of order, blocks as long as the median horizon"
)


def few_events_note(dataset: Dataset) -> str:
    """What the backtest's scores rest on: the dyad's summits in the record."""
    years = ", ".join(str(s.date.year) for s in dataset.events)
    n = len(dataset.events)
    return (
        f"Few events: the record holds {n} {dataset.dyad.pair_short} summit"
        f"{'s' if n != 1 else ''} ({years}), so the scores rest on a handful of positive "
        "outcomes shared by neighbouring origins and the intervals are wide."
    )


def spacing_days(bt: Backtest) -> float:
    """The median number of days between consecutive origins (in date order; at least 1)."""
    days = sorted(r.origin.toordinal() for r in bt.origins)
    if len(days) < 2:
        return 30.0
    return max(1.0, float(np.median(np.diff(days))))


def _block(rows: list[dict], step: float) -> int:
    """Bootstrap block length in origins: as long as the (median) window."""
    return math.ceil(float(np.median([r["window_days"] for r in rows])) / step)


def _score_row(bt: Backtest, ss: ScoreSet, step: float) -> dict:
    """The model's and the baselines' scores over one score set, with intervals."""
    rows = [r.windows[ss.index] for r in bt.origins]
    block = _block(rows, step)
    sc = window_scores(
        np.array([r["outcome"] for r in rows], float),
        np.array([r["p"] for r in rows]),
        {name: np.array([r[name] for r in rows]) for name in BASELINES},
        block=block,
        seed=bt.settings.seed,
    )
    for b in sc["baselines"]:
        b["label"] = BASELINES[b["name"]]
    events = {r.next_summit.id for r in bt.origins if r.windows[ss.index]["outcome"]}
    lengths = [r["window_days"] for r in rows]
    return {
        "window_days": ss.window_days,
        "label": ss.label,
        "horizon_days": [min(lengths), max(lengths)],
        **sc,
        "n_summits": len(events),
        "block_origins": block,
    }


def _venue_row(bt: Backtest, ss: ScoreSet, step: float) -> dict:
    """The venue score over the origins followed by a summit within the score set's window."""
    hits = [r for r in bt.origins if r.windows[ss.index]["outcome"]]
    venue_ids = bt.dataset.dyad.venue_ids
    p_actual = np.array(
        [r.windows[ss.index]["venues"][venue_ids.index(r.next_summit.venue_class)] for r in hits]
    )
    venue = venue_scores(
        p_actual,
        len(venue_ids),
        block=_block([r.windows[ss.index] for r in bt.origins], step),
        seed=bt.settings.seed,
    )
    venue["window_days"] = ss.window_days
    venue["n_summits"] = len({r.next_summit.id for r in hits})
    return venue


def scores(bt: Backtest) -> tuple[list[dict], dict]:
    """Per-window scores (model and baselines) and the venue score (longest window), with
    intervals. A cases-file backtest has one score row: each row to its own horizon end."""
    step = spacing_days(bt)
    sets = bt.score_sets
    return [_score_row(bt, ss, step) for ss in sets], _venue_row(bt, sets[-1], step)


def _diagnostics(bt: Backtest) -> dict:
    diags = bt.fits
    rhat = [d["rhat_max"] for d in diags if d["rhat_max"] == d["rhat_max"]]
    return {
        "rhat_max": max(rhat) if rhat else None,
        "ess_bulk_min": min(d["ess_bulk_min"] for d in diags),
        "divergences": sum(d["divergences"] for d in diags),
        "fits_with_problems": sum(1 for d in diags if d["problems"]),
        "fits": len(diags),
    }


def document(bt: Backtest, stamp: dict, figures: dict[str, str]) -> dict:
    """The body of backtest.json (see docs/backtest.md for every key)."""
    s = bt.settings
    window_scores_, venue = scores(bt)
    cases = []
    for c in bt.cases:
        fc = c.forecast
        cases.append(
            {
                "label": c.case.label,
                "as_of": c.case.as_of.isoformat(),
                "horizon_end": c.case.horizon_end.isoformat(),
                "analyst_call": c.case.analyst_call,
                "source": c.case.source,
                "venue": c.case.venue,
                **fc["p_venue"],
                "p_any_venue": fc["p_any"],
                "with_signals": None
                if c.with_signals is None
                else {**c.with_signals["p_venue"], "p_any_venue": c.with_signals["p_any"]},
                "outcome": c.outcome,
                "what_happened": c.what_happened,
            }
        )
    return json_safe(
        {
            "schema": SCHEMA,
            "stamp": stamp,
            "settings": {
                "start": s.start.isoformat(),
                "end": s.end.isoformat(),
                "every": s.every,
                "windows": list(s.windows) if not s.from_cases else None,
                "cases_file": s.cases_file,
                "draws": s.draws,
                "tune": s.tune,
                "chains": s.chains,
                "seed": s.seed,
                "dataset": bt.dataset.meta.name,
                "backend": REFIT_BACKEND,
                "interval": INTERVAL,
                "bootstrap": BOOTSTRAP_CASES if s.from_cases else BOOTSTRAP,
            },
            "n_origins": len(bt.origins),
            "seconds_per_origin": round(bt.seconds_per_origin, 3),
            "compile_seconds": round(bt.compile_seconds, 1),
            "total_seconds": round(bt.total_seconds, 1),
            "scores": window_scores_,
            "venue": venue,
            "cases": cases,
            "diagnostics": _diagnostics(bt),
            "figures": figures,
            "note": few_events_note(bt.dataset),
        }
    )


class _Rows:
    """A CSV being built in memory, every cell escaped with :func:`csv_cell` (text a
    spreadsheet would run as a formula, such as a case label ``=HYPERLINK(...)``, gets a
    leading apostrophe)."""

    def __init__(self) -> None:
        self.buffer = io.StringIO(newline="")
        self._writer = csv.writer(self.buffer)

    def writerow(self, cells) -> None:
        self._writer.writerow([csv_cell(c) for c in cells])

    def text(self) -> str:
        return self.buffer.getvalue()


def origins_csv(bt: Backtest) -> str:
    """origins.csv's text: one row per origin and window (a cases-file row: its one window to
    its horizon end): the forecasts, the baselines and the outcome."""
    out = _Rows()
    out.writerow(
        [
            "origin",
            "window_days",
            "p",
            "lo",
            "hi",
            "p_constant",
            "p_wartime",
            "outcome",
            "next_summit",
            "next_summit_date",
            "next_summit_venue",
            *(f"venue_{v}" for v in bt.dataset.dyad.venue_ids),
            "rhat_max",
            "divergences",
            "horizon_end",
            "label",
        ]
    )
    for r in bt.origins:
        nxt = r.next_summit
        for w in r.windows:
            out.writerow(
                [
                    r.origin.isoformat(),
                    w["window_days"],
                    f"{w['p']:.5f}",
                    f"{w['lo']:.5f}",
                    f"{w['hi']:.5f}",
                    f"{w['constant']:.5f}",
                    f"{w['wartime']:.5f}",
                    int(w["outcome"]),
                    nxt.id if nxt else "",
                    nxt.date.isoformat() if nxt else "",
                    nxt.venue_class if nxt else "",
                    *(f"{v:.4f}" for v in w["venues"]),
                    f"{r.diagnostics['rhat_max']:.4f}",
                    r.diagnostics["divergences"],
                    (r.origin + timedelta(days=w["window_days"])).isoformat(),
                    r.label,
                ]
            )
    return out.text()


def cases_csv(doc: dict) -> str:
    """cases.csv's text: one row per named case."""
    keys = ["label", "as_of", "horizon_end", "venue", "p", "lo", "hi", "outcome", "what_happened"]
    out = _Rows()
    signal_keys = ["p_signals", "lo_signals", "hi_signals"]
    out.writerow([*keys, "p_any_venue", *signal_keys, "analyst_call", "source"])
    for c in doc["cases"]:
        sig = c.get("with_signals")
        out.writerow(
            [
                *(f"{c[k]:.5f}" if isinstance(c[k], float) else c[k] for k in keys),
                f"{c['p_any_venue']['p']:.5f}",
                *((f"{sig[k]:.5f}" for k in ("p", "lo", "hi")) if sig else ("", "", "")),
                c["analyst_call"],
                c["source"],
            ]
        )
    return out.text()


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def write_all(bt: Backtest, out: Path, stamp: dict) -> tuple[dict, dict[str, Path]]:
    """Write backtest.json, origins.csv, cases.csv and the figures into ``out`` as one unit.

    The files are written into a staging directory beside ``out`` that replaces it only when
    all are complete (:class:`~forecast.io.staging.StagedDir`); a failure leaves the previous
    backtest as it was.
    """
    from forecast.io.staging import StagedDir
    from forecast.plots.backtest import plot_forecasts, plot_reliability

    doc = document(bt, stamp, {"reliability": "reliability.svg", "forecasts": "forecasts.svg"})
    texts = {
        "origins.csv": origins_csv(bt),
        "cases.csv": cases_csv(doc),
        "reliability.svg": _svg(plot_reliability(bt)),
        "forecasts.svg": _svg(plot_forecasts(bt)),
        "backtest.json": json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
    }
    with StagedDir(out, names=BACKTEST_FILES) as staged:
        for name, text in texts.items():
            staged.write_text(name, text)
        staged.commit()
    keys = {"backtest.json": "json", "origins.csv": "origins", "cases.csv": "cases"}
    return doc, {keys.get(n, n.removesuffix(".svg")): out / n for n in BACKTEST_FILES}


def make_stamp(data_sha256: str, cases_sha256: str | None, template_sha256: str) -> dict:
    return {
        "version": __version__,
        "data_sha256": data_sha256,
        "cases_sha256": cases_sha256,
        "template_sha256": template_sha256,
    }


def _iv_num(x: float | None, spec: str) -> str:
    """A number, or n/a where it could not be computed (R-hat with one chain)."""
    return "n/a" if x is None else format(x, spec)


def _iv(d: dict | None, fmt: str = "{:.3f}") -> str:
    if not d:
        return "n/a"
    return f"{fmt.format(d['value'])} ({fmt.format(d['lo'])} to {fmt.format(d['hi'])})"


def _pct(p: float) -> str:
    """A probability as a percentage, with a decimal below 1% so a small one is not '0%'."""
    return f"{100 * p:.1f}%" if p < 0.01 else f"{100 * p:.0f}%"


def _count(n: int, noun: str) -> str:
    """``1 origin``, ``2 origins``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _header(doc: dict) -> str:
    """The summary's first line: the origins and the sampler settings."""
    s = doc["settings"]
    if s.get("cases_file"):
        origins = (
            f"{doc['n_origins']} origins, the rows of {s['cases_file']} (as_of {s['start']} .. "
            f"{s['end']}), each scored to its own horizon end"
        )
    else:
        origins = (
            f"{doc['n_origins']} origins {s['start']} .. {s['end']} every {s['every']}, "
            f"windows {', '.join(f'{w} d' for w in s['windows'])}"
        )
    return (
        f"Backtest: {origins}; {s['chains']} chains x {s['draws']} draws ({s['tune']} tuning), "
        f"seed {s['seed']}, sampler {s.get('backend', 'nutpie')}"
    )


def _score_lines(sc: dict) -> list[str]:
    """One score row: events, the model's scores, and the skill against each baseline."""
    if sc["window_days"] is not None:
        what = f"{sc['window_days']}-day window"
    else:
        lo, hi = sc["horizon_days"]
        what = f"{sc['label'][0].upper()}{sc['label'][1:]} ({lo} to {hi} days)"
    lines = [
        f"  {what}: {sc['n_events']} of {_count(sc['n'], 'origin')} followed by a summit "
        f"({_count(sc['n_summits'], 'distinct summit')})",
        f"    model Brier {_iv(sc['brier'])}, log score {_iv(sc['log'])}",
    ]
    for b in sc["baselines"]:
        lines.append(
            f"    vs {b['label']:<52} BSS {_iv(b['bss'], '{:+.2f}')}  "
            f"(its Brier {b['brier']['value']:.3f})"
        )
    return lines


def _venue_lines(v: dict) -> list[str]:
    """The venue score against a uniform guess, when any origin was followed by a summit."""
    if not v["n"]:
        return []
    days = v["window_days"]
    within = f"within {days} days" if days is not None else "by their horizon end"
    return [
        f"Venue ({_count(v['n'], 'origin')} followed by a summit {within}, "
        f"{_count(v['n_summits'], 'summit')}): "
        f"log score {_iv(v['log_score'])} vs uniform {v['uniform_log_score']:.3f}; skill "
        f"{_iv(v['skill'], '{:+.2f}')}"
    ]


def case_lines(doc: dict) -> list[str]:
    """The named cases: the model's probability of each called event, and what happened."""
    if not doc["cases"]:
        return []
    scored = bool(doc["settings"].get("cases_file"))
    lines = [
        "",
        "Analysts' calls: the model's probability of the called event at the time (80% "
        "interval), and what happened:"
        if not scored
        else "The cases: the model's probability of each case's event at the time (80% "
        "interval; any venue, as scored, when the case names one), and what happened:",
    ]
    for c in doc["cases"]:
        any_venue = c["p_any_venue"]["p"]
        also = f"; any venue {_pct(any_venue)}" if scored and c["venue"] != "any" else ""
        sig = c.get("with_signals")
        if sig:
            also += (
                f"; with the signal terms {_pct(sig['p'])} ({_pct(sig['lo'])}–{_pct(sig['hi'])})"
            )
        lines.append(
            f"  {c['label']}: {_pct(c['p'])} ({_pct(c['lo'])}–{_pct(c['hi'])}){also}"
            f"\n    -> {c['what_happened']}"
        )
    briers = case_briers(doc["cases"])
    if briers is not None:
        lines.append(
            f"  Brier score of the called events over the {len(doc['cases'])} cases: "
            f"{briers[0]:.3f} without the signal terms, {briers[1]:.3f} with them"
        )
    return lines


def case_briers(cases: list[dict]) -> tuple[float, float] | None:
    """The named cases' mean Brier score of the called event, without and with the signal
    terms; None unless every case has both forecasts."""
    if not cases or any(not c.get("with_signals") for c in cases):
        return None
    hit = np.array([float(c["outcome"]) for c in cases])
    plain = np.array([c["p"] for c in cases])
    signals = np.array([c["with_signals"]["p"] for c in cases])
    return float(np.mean((plain - hit) ** 2)), float(np.mean((signals - hit) ** 2))


def summary_text(doc: dict, paths: dict[str, Path]) -> str:
    """The terminal summary: skill against both baselines with intervals, throughput."""
    pct = round(100 * doc["settings"]["interval"])
    lines = [
        _header(doc),
        "",
        f"Brier skill score vs baselines (higher is better, 0 = no better; {pct}% block-"
        "bootstrap intervals):",
    ]
    for sc in doc["scores"]:
        lines += _score_lines(sc)
    lines += _venue_lines(doc["venue"])
    lines += case_lines(doc)
    d = doc["diagnostics"]
    lines += [
        "",
        f"Sampler: R-hat max {_iv_num(d['rhat_max'], '.3f')}, "
        f"bulk ESS min {_iv_num(d['ess_bulk_min'], '.0f')}, "
        f"{_count(d['divergences'], 'divergence')} over {d['fits']} fits "
        f"({d['fits_with_problems']} with a flagged problem)",
        f"Throughput: {doc['seconds_per_origin']:.2f} s per origin "
        f"({1 / max(doc['seconds_per_origin'], 1e-9):.1f} origins/s), compile "
        f"{doc['compile_seconds']:.1f} s (each program once), "
        f"{doc['total_seconds']:.0f} s in all",
        f"Note: {doc['note']}",
        "",
        "Wrote " + ", ".join(str(p) for p in paths.values()),
    ]
    return "\n".join(lines)
