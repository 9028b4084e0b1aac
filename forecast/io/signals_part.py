"""Build forecast.json's ``signals`` part from a run's inputs and posterior draws."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np

from forecast.design.announced import FRAMED_NAME, claim_days, claim_of
from forecast.design.announced import NAME as ANNOUNCED
from forecast.design.paths import daily_path
from forecast.design.prepare import ModelData
from forecast.domain.signals import ANNOUNCEMENT, Signal, in_fit
from forecast.predict import Draws, forecast_spans, path_survival
from forecast.terms import Context
from forecast.terms.signal_live import Live, live_signals
from forecast.terms.signal_venue import SignalVenue
from forecast.terms.signals_decaying import DecayingSignals

#: A signal counts as followed by a meeting if one came within this many days.
FOLLOWED_DAYS = 30


def _term_of(live: Live, data: ModelData) -> str | None:
    if live.signal.kind == ANNOUNCEMENT:
        return ANNOUNCED if data.announce is not None else None
    for term in data.timing_terms:
        if isinstance(term, DecayingSignals) and term.selects(live):
            return term.name
    return None


def still_counts(live: Live, data: ModelData) -> bool:
    """Whether a live signal still counts on some day of the horizon: its claim's window is
    not over, its family has not forgotten it (``MEMORY_HALF_LIVES`` half-lives), or it still
    names the venue. A signal about the next meeting can be spent long before it (a denial of
    October 2023 on 2024-06-17: 258 days old, forgotten after 120)."""
    days = data.horizon_dates
    if data.announce is not None and claim_days(live, days).any():
        return True
    for term in data.timing_terms:
        if isinstance(term, DecayingSignals) and term.counts(live, days).any():
            return True
    return any(
        term.counts(live, days, data.dyad).any()
        for term in data.venue_terms
        if isinstance(term, SignalVenue)
    )


def _p_by_end(data: ModelData, draws: Draws, record) -> float:
    sc = data.scenario
    start, end = sc.as_of + timedelta(days=1), sc.horizon_end
    surv = 0.0
    for p in data.paths:
        path = daily_path(
            record, sc, data.timing_terms, start, end, ceasefire_start=p.ceasefire_start
        )
        announced = path.announced if p.announced is not None else None
        quiet = replace(p, X=path.X, announced=announced)
        surv = surv + p.weight * path_survival(quiet, draws)[:, -1]
    return float(np.mean(1.0 - surv))


def _record_rate(data: ModelData, signal: Signal) -> tuple[int, int]:
    record = data.record
    cutoff = data.scenario.as_of - timedelta(days=FOLLOWED_DAYS)
    same = [
        s
        for s in record.signals
        if in_fit(s)
        and s.kind == signal.kind
        and s.effective_stance == signal.effective_stance
        and s.date <= cutoff
        and not record.made_at_its_meeting(s)
    ]
    followed = sum(
        any(s.date < m.date <= s.date + timedelta(days=FOLLOWED_DAYS) for m in record.events)
        for s in same
    )
    return int(followed), len(same)


def signal_rows(data: ModelData, draws: Draws) -> list[dict]:
    """The live signals on the first horizon day that still count (:func:`still_counts`),
    each with its term, the headline without it and without every live signal of its kind (two
    rows of one announcement, say), and how often signals like it were followed by a meeting
    in the record."""
    days = data.horizon_dates[:1]
    ctx = Context(data.record, data.scenario, days)
    counted = [(live, _term_of(live, data)) for live in live_signals(ctx) if live.on(days)[0]]
    counted = [
        (live, term) for live, term in counted if term is not None and still_counts(live, data)
    ]

    def p_without(ids: set[str]) -> float:
        kept = tuple(x for x in data.record.signals if x.id not in ids)
        return _p_by_end(data, draws, replace(data.record, signals=kept))

    by_kind = {
        kind: p_without({live.signal.id for live, _ in counted if live.signal.kind == kind})
        for kind in dict.fromkeys(live.signal.kind for live, _ in counted)
    }
    rows = []
    for live, term in counted:
        s = live.signal
        followed, total = _record_rate(data, s)
        rows.append(
            {
                "id": s.id,
                "date": s.date.isoformat(),
                "kind": s.kind,
                "term": term,
                "claim": claim_of(s),
                "time_frame": s.time_frame,
                "who": s.who,
                "what": s.what,
                "source": s.source,
                "window_start": s.window_start.isoformat() if s.window_start else None,
                "window_end": s.window_end.isoformat() if s.window_end else None,
                "venue_class": s.venue_class,
                "p_without": p_without({s.id}),
                "p_without_kind": by_kind[s.kind],
                "record_followed": followed,
                "record_total": total,
            }
        )
    return rows


def _get(item, key: str):
    return item[key] if isinstance(item, dict) else getattr(item, key)


def _claim_summary(prior, q: np.ndarray) -> dict:
    lo, p50, hi = np.quantile(q, (0.1, 0.5, 0.9))
    return {
        "prior_low": prior.low,
        "prior_high": prior.high,
        "prior_confidence": prior.confidence,
        "p50": float(p50),
        "lo": float(lo),
        "hi": float(hi),
    }


def announced_summary(data: ModelData, draws: Draws) -> dict | None:
    """forecast.json's ``announced``: the prior range of ``q`` and its posterior median and
    80% interval (None without the signal terms)."""
    if data.announce is None or draws.announce_logit is None:
        return None
    return _claim_summary(data.announce, draws.kept())


def framed_summary(data: ModelData, draws: Draws) -> dict | None:
    """forecast.json's ``framed``: the same for ``q_f``, a time-framed signal borne out (None
    without the signal terms)."""
    if data.framed is None or draws.framed_logit is None:
        return None
    return _claim_summary(data.framed, draws.borne_out())


def news_summary(data: ModelData, draws: Draws) -> dict | None:
    """forecast.json's ``news_to_come``: P(next summit by the horizon end) and in the first
    window with the news known on ``as_of`` only (None when the news to come is off)."""
    if not any(p.news is not None for p in data.paths):
        return None
    surv = 0.0
    for p in data.paths:
        surv = surv + p.weight * path_survival(replace(p, news=None), draws)
    lo, hi = forecast_spans(data)[0]  # the first window, as the forecast takes it
    return {
        "p_without": float(np.mean(1.0 - surv[:, -1])),
        "first_window_without": float(np.mean(surv[:, lo] - surv[:, hi + 1])),
    }


def news_line(document) -> list[str]:
    """The terminal summary's line on the news still to come (none when it is off)."""
    n = _optional(document, "news_to_come")
    if not n:
        return []
    head = _get(document, "headline")
    end = _get(_get(head, "by_horizon_end"), "p")
    first = _get(head, "first_window")
    return [
        f"News still to come (as often as in the record) is in these figures: from the news "
        f"known on {_get(document, 'as_of')} alone, {100 * _get(n, 'p_without'):.0f}% by "
        f"{_get(document, 'horizon_end')} (with it {100 * end:.0f}%), and in the first window "
        f"({_get(first, 'name')}) {100 * _get(n, 'first_window_without'):.0f}% (with it "
        f"{100 * _get(first, 'p'):.0f}%)"
    ]


def _optional(s, key: str):
    return s.get(key) if isinstance(s, dict) else getattr(s, key, None)


def announced_line(document) -> list[str]:
    """The terminal summary's lines on ``q`` and ``q_f`` (none without the signal terms)."""

    def interval(a) -> str:
        return (
            f"{_get(a, 'p50'):.2f} (80% interval {_get(a, 'lo'):.2f}–{_get(a, 'hi'):.2f}; prior "
            f"{_get(a, 'prior_low'):g}–{_get(a, 'prior_high'):g} at "
            f"{100 * _get(a, 'prior_confidence'):.0f}%)"
        )

    lines = []
    if a := _optional(document, "announced"):
        lines.append(f"An official announcement with dates is kept with probability {interval(a)}")
    if f := _optional(document, "framed"):
        lines.append(f"A time-framed signal is borne out with probability {interval(f)}")
    return lines


def _kind_part(s) -> str:
    p = _get(s, "p_without_kind")
    return "" if p is None else f", without its kind {100 * p:.0f}%"


def window_text(window_start, window_end, day) -> str:
    """A live signal's window as the report and the terminal show it, ``"START to END"``: its
    stated start, or, where it states an end only (a time frame read as days after the
    signal), the day after its date, the first day it counts (it is public at the end of its
    day); empty when it states no end. Dates may be ``date`` objects or ISO strings."""
    if not window_end:
        return ""
    start = window_start or date.fromisoformat(str(day)) + timedelta(days=1)
    return f"{start} to {window_end}"


def claim_note(claim: str | None, time_frame: str | None) -> str:
    """What follows a live signal's window in the report and the terminal: the phrase it was
    read from, and whether it is a time-framed claim (empty for neither)."""
    parts = [f"time frame: {time_frame}"] if time_frame else []
    if claim == FRAMED_NAME:
        parts.append("a time-framed claim")
    return f" ({'; '.join(parts)})" if parts else ""


def signal_lines(document) -> list[str]:
    """The terminal summary's lines for the live signals, one each (none: no lines).

    ``document`` is forecast.json as plain data or the typed
    :class:`~forecast.io.document.ForecastDocument`.
    """
    live = _get(document, "signals") if not isinstance(document, dict) else document.get("signals")
    if not live:
        return []
    lines = ["", f"News and signals live on {_get(document, 'as_of')}:"]
    for s in live:
        window = ""
        if _get(s, "window_end"):
            framed = claim_note(_optional(s, "claim"), _optional(s, "time_frame"))
            window = (
                f" [{window_text(_get(s, 'window_start'), _get(s, 'window_end'), _get(s, 'date'))}"
                f"{framed}]"
            )
        lines.append(
            f"  {_get(s, 'date')} {_get(s, 'kind')}: {_get(s, 'who')}{window}; without it "
            f"{100 * _get(s, 'p_without'):.0f}%{_kind_part(s)}; such signals followed by a "
            "meeting within "
            f"{FOLLOWED_DAYS} days {_get(s, 'record_followed')} of {_get(s, 'record_total')}"
        )
    return lines
