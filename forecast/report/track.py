"""The report's "Track record" section, read from a backtest's ``backtest.json``.

``python -m forecast backtest`` writes ``backtest.json`` (schema
``summit-forecast/backtest.json/1``, see docs/report.md). The report looks for it at the path
given with ``--backtest`` (the file or its directory), else beside the run and at
``reports/backtest/backtest.json`` (see :func:`locate`). Only the keys below are relied on; a
backtest may add more. A file that is there but unusable is an input error.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from forecast.domain.dyad import Dyad
from forecast.domain.record import DEFAULT_DATASET, dyad_of
from forecast.errors import InputError
from forecast.io.rundir import backtest_dir_name
from forecast.model.backends import BACKEND_LABELS
from forecast.report.formats import day, interval, pct

SCHEMA = "summit-forecast/backtest.json/1"
HINT = (
    "No backtest was found for this report: run 'python -m forecast backtest' (it writes "
    "reports/backtest/backtest.json) and render the report again, or pass "
    "'--backtest PATH' to 'forecast report'."
)


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class Estimate(_Open):
    value: float
    lo: float
    hi: float


class Baseline(_Open):
    name: str
    label: str
    brier: Estimate
    log: Estimate
    bss: Estimate


class Score(_Open):
    window_days: int | None = None  # None: each origin (a cases-file row) to its horizon end
    label: str | None = None
    n: int
    n_events: int
    brier: Estimate
    log: Estimate
    baselines: list[Baseline] = []


class VenueScore(_Open):
    n: int
    log_score: Estimate | None = None  # None when no origin was followed by a summit
    uniform_log_score: float
    skill: Estimate | None = None


class Case(_Open):
    label: str
    as_of: str
    horizon_end: str
    analyst_call: str
    p: float
    lo: float
    hi: float
    outcome: bool
    what_happened: str
    #: The case fitted with the signal terms on (p, lo, hi at the called venue, and
    #: p_any_venue); None in files written before it.
    with_signals: dict | None = None


class Backtest(_Open):
    stamp: dict
    settings: dict
    n_origins: int
    seconds_per_origin: float | None = None
    scores: list[Score]
    venue: VenueScore | None = None
    cases: list[Case] = []
    figures: dict[str, str] = {}
    note: str | None = None


def locate(
    run_dir: str | Path, explicit: str | Path | None = None, dataset: str = DEFAULT_DATASET
) -> Path | None:
    """The backtest file for a run of ``dataset``.

    ``explicit`` (``--backtest``) may be the ``backtest.json`` file or the directory
    ``forecast backtest`` wrote it to, and must exist. Without it the report looks, in order,
    beside the run (``RUN_DIR/../<name>/backtest.json``) and at the place ``forecast backtest``
    writes by default (``reports/<name>/backtest.json`` under the current directory), where
    ``<name>`` is :func:`backtest_dir_name`; so the track record is found whatever ``--out``
    the run used. A file found this way that backtests another dataset is skipped (the report
    says no backtest was found rather than show another pair's record).

    Raises
    ------
    InputError
        If ``explicit`` is neither a file nor a directory holding ``backtest.json``.
    """
    if explicit is not None:
        path = Path(explicit)
        if path.is_dir():
            path = path / "backtest.json"
            if not path.is_file():
                raise InputError(
                    path, "--backtest", "missing; expected the directory 'forecast backtest' wrote"
                )
        if not path.is_file():
            raise InputError(
                path,
                "--backtest",
                "expected an existing backtest.json file, or the directory holding one",
            )
        return path
    name = backtest_dir_name(dataset)
    candidates = [
        Path(run_dir).resolve().parent / name / "backtest.json",
        (Path.cwd() / "reports" / name / "backtest.json").resolve(),
    ]
    seen: set[Path] = set()
    for path in candidates:
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        if _dataset_of(path) == dataset:
            return path
    return None


def _dataset_of(path: Path) -> str | None:
    """The dataset a backtest file is about (None if it cannot be read: ``load`` says why)."""
    try:
        settings = json.loads(path.read_text(encoding="utf-8")).get("settings") or {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, AttributeError):
        return DEFAULT_DATASET  # let load() report the problem with this file
    return settings.get("dataset") or DEFAULT_DATASET


def load(path: str | Path) -> Backtest:
    """Read and check ``backtest.json``.

    Raises
    ------
    InputError
        If the file is unreadable, of another schema, or lacks a key the report needs.
    """
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(path, None, f"unreadable JSON ({exc})") from None
    if not isinstance(raw, dict):
        raise InputError(path, None, "expected a JSON object written by 'forecast backtest'")
    if raw.get("schema") != SCHEMA:
        raise InputError(path, "schema", f"expected {SCHEMA!r}, found {raw.get('schema')!r}")
    try:
        return Backtest.model_validate({k: v for k, v in raw.items() if k != "schema"})
    except ValidationError as exc:
        err = exc.errors()[0]
        where = " -> ".join(str(p) for p in err["loc"])
        raise InputError(path, where, err["msg"].lower()) from None


def _case_forecast(c: Case, dyad: Dyad) -> str:
    """ "3% (1–7%)", with the venue the call named and the any-venue figure when given."""
    labels = dyad.venue_labels
    text = _estimate(c.p, c.lo, c.hi)
    venue = getattr(c, "venue", None)
    if venue in labels:
        text += f" in {labels[venue]}"
    elif venue in {s.id for s in dyad.sides}:  # a call for one side's territory as a whole
        text += f" in {dyad.side(venue).name}"
    any_venue = getattr(c, "p_any_venue", None)
    if isinstance(any_venue, dict) and isinstance(any_venue.get("p"), int | float):
        text += f"; any venue {pct(any_venue['p'])}"
    sig = c.with_signals
    if isinstance(sig, dict) and all(
        isinstance(sig.get(k), int | float) for k in ("p", "lo", "hi")
    ):
        text += "; with the signal terms " + _estimate(sig["p"], sig["lo"], sig["hi"])
    return text


def _estimate(p: float, lo: float, hi: float) -> str:
    """ "3% (0–7%)"; just "<1%" when the whole interval is below 1%."""
    spread = interval(lo, hi)
    return pct(p) if spread == "all below 1%" else f"{pct(p)} ({spread})"


def _outcome(c: Case) -> str:
    said = c.what_happened.strip()
    if said.lower().startswith(("yes", "no")):
        return said
    return ("Yes: " if c.outcome else "No: ") + said


def _every(text: object) -> str:
    """ "1M" -> "every month", "2W" -> "every 2 weeks"; anything else as given."""
    m = re.fullmatch(r"(\d+)\s*([DWMY])", str(text).strip(), flags=re.IGNORECASE)
    if not m:
        return f"every {text}"
    n, unit = (
        int(m.group(1)),
        {"D": "day", "W": "week", "M": "month", "Y": "year"}[m.group(2).upper()],
    )
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"


def _origins(s: dict) -> str:
    """Where the origins came from: a range of dates, or the rows of a cases file."""
    first, last = s.get("start", "?"), s.get("end", "?")
    if s.get("cases_file"):
        name = Path(str(s["cases_file"])).name
        return (
            f"(the rows of the cases file {name}, as of {first} to {last}, each scored to its "
            "own horizon end)"
        )
    return f"from {first} to {last} ({_every(s.get('every', '?'))})"


def _window(sc: Score) -> str:
    """The score row's window: "90 days", or its label when each origin has its own."""
    if sc.window_days is not None:
        return f"{sc.window_days} days"
    return sc.label or "to each origin's horizon end"


def _est(e, digits: int = 3) -> str:
    return f"{e.value:.{digits}f} ({e.lo:.{digits}f} to {e.hi:.{digits}f})"


def _stale(recorded: str | None, current: str | None) -> bool:
    """Whether a backtest stamped with the dataset hash ``recorded`` was run on another version
    of the dataset than the forecast's (``current``); unknown on either side is not stale."""
    return current is not None and recorded not in (None, current)


def short_track(backtest_json: str | None, data_sha256: str | None = None) -> list[str]:
    """Lines of the short-horizon track for the report's track record; none if absent.

    ``short-horizon.json`` is read from the directory beside ``backtest.json``'s, named like it
    with ``-short`` (``reports/backtest-short/`` beside ``reports/backtest/``, where
    ``forecast backtest --short`` writes it by default). A track run on another version of the
    dataset than ``data_sha256`` (the forecast's) is flagged in its first line."""
    from forecast.backtest.scores import skill_interval

    if backtest_json is None:
        return []
    folder = Path(backtest_json).parent
    path = folder.with_name(folder.name + "-short") / "short-horizon.json"
    if not path.is_file():
        return []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        lines = [
            f"Short-horizon track (the model with the signal terms): {doc['n_origins']} origins "
            "around every meeting and signal episode (weekly, and daily in the ten days before "
            "each meeting)."
        ]
        if _stale(doc.get("data_sha256"), data_sha256):
            lines[0] += " It was run on a different dataset version than this forecast."
        for s in doc["scores"]:
            refs = "; ".join(
                f"against {b['name']}: skill {b['bss']['value']:+.2f} ({skill_interval(b['bss'])})"
                for b in s["baselines"]
            )
            lines.append(
                f"{s['window_days']} days ({s['n_events']} of {s['n']} followed by a meeting): "
                f"Brier {s['brier']['value']:.3f}; {refs}."
            )
    except (OSError, ValueError, KeyError, TypeError):
        return []
    return lines


#: The track record's lines for a forecast with the signal terms when no short-horizon track
#: is beside the monthly one.
SHORT_HINT = (
    "The short-horizon track, which scores the model with the signal terms over 7, 14 and 30 "
    "days, was not found: run 'python -m forecast backtest --short' (it writes "
    "reports/backtest-short/short-horizon.json) and render the report again."
)


def track_record(
    path: str | Path | None, data_sha256: str | None = None, *, signals: bool = False
) -> dict:
    """The section's content: scores, baselines, venue skill and worked cases, or the hint.

    Parameters
    ----------
    path
        The monthly backtest's ``backtest.json`` (None: the hint only).
    data_sha256
        The forecast's dataset hash: a backtest of another version is flagged as stale.
    signals
        Whether the forecast has the signal terms on. The monthly track leaves them off, so
        its summary then says so, the worked cases are marked as fits without them, and the
        short-horizon track (which has them) is shown, or how to produce it.
    """
    if path is None:
        return {"available": False, "hint": HINT}
    bt = load(path)
    s = bt.settings
    dyad = dyad_of(s.get("dataset") or DEFAULT_DATASET)
    level = s.get("interval", "80% or 90%")
    level = f"{100 * level:.0f}%" if isinstance(level, int | float) else str(level)
    scores = []
    for sc in bt.scores:
        base = [
            f"{b.label}: Brier {b.brier.value:.3f}, skill score {_est(b.bss, 2)}"
            for b in sc.baselines
        ]
        scores.append(
            [
                _window(sc),
                str(sc.n),
                str(sc.n_events),
                _est(sc.brier),
                _est(sc.log),
                base or ["—"],
            ]
        )
    venue = None
    v = bt.venue
    if v is not None and v.log_score is not None and v.skill is not None:
        venue = (
            f"Venue forecasts ({v.n} scored): log score {_est(v.log_score)} nats against "
            f"{v.uniform_log_score:.3f} for a uniform guess over the {len(dyad.venue_ids)} "
            f"classes; skill {_est(v.skill, 2)} (higher is better)."
        )
    cases = [
        [
            c.label,
            f"{day(c.as_of)} → {day(c.horizon_end)}",
            c.analyst_call,
            _case_forecast(c, dyad),
            _outcome(c),
        ]
        for c in bt.cases
    ]
    figure = None
    if "reliability" in bt.figures:
        candidate = Path(path).parent / bt.figures["reliability"]
        figure = str(candidate) if candidate.is_file() else None
    stale = _stale(bt.stamp.get("data_sha256"), data_sha256)
    model = (
        "the forecast's model without the signal terms, which this track leaves off; each "
        "worked case is also shown fitted with them"
        if signals
        else "the same model as the forecast"
    )
    short = short_track(str(path), data_sha256)
    if signals and not short:
        short = [SHORT_HINT]
    return {
        "available": True,
        "source": str(path),
        "summary": (
            f"Backtest of {bt.n_origins} forecast origins {_origins(s)}, each fitted only on "
            f"what was known then ({s.get('chains', '?')} chains × {s.get('draws', '?')} "
            f"draws, {BACKEND_LABELS[s.get('backend', 'nutpie')]}; {model}). Scores are means "
            "over origins; lower Brier and log scores are better; the skill score is "
            f"1 − Brier(model)/Brier(baseline), higher is better; intervals are {level} "
            "bootstrap intervals."
        ),
        "scores": scores,
        "venue": venue,
        "cases": cases,
        "figure": figure,
        "note": bt.note,
        "short": short,
        "stale": "This backtest was run on a different dataset version than this forecast."
        if stale
        else None,
    }
