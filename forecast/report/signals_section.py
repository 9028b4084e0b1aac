"""The report's "News and signals" section: the signals live on ``as_of``, read from the typed
forecast document (``ForecastDocument.signals``)."""

from __future__ import annotations

from forecast.io.document import ForecastDocument
from forecast.io.signals_part import claim_note, window_text


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%" if p >= 0.01 else f"{100 * p:.1f}%"


def news_and_signals(document: ForecastDocument | dict) -> dict:
    """Rows of the section: date, kind, who and what, the window, the headline without the
    signal (from the same draws) and how often such signals were followed by a meeting.

    Returns
    -------
    dict
        ``headline`` (P by the horizon end, formatted) and ``rows`` (lists of text cells;
        empty when no signal is live).
    """
    doc = (
        document if isinstance(document, ForecastDocument) else ForecastDocument.from_dict(document)
    )
    labels = doc.dyad.venue_labels if doc.dyad is not None else {}
    rows = []
    for s in doc.signals:
        window = window_text(s.window_start, s.window_end, s.date) or "none stated"
        if s.window_end:
            window += claim_note(s.claim, s.time_frame)
        venue = labels.get(s.venue_class, s.venue_class) if s.venue_class else "not named"
        record = (
            f"{s.record_followed} of {s.record_total}" if s.record_total else "none in the record"
        )
        rows.append(
            [
                f"{s.date}",
                s.kind.replace("_", " "),
                f"{s.who}: {s.what}",
                window,
                venue,
                _pct(s.p_without)
                if s.p_without_kind is None
                else f"{_pct(s.p_without)} / {_pct(s.p_without_kind)}",
                record,
            ]
        )
    a = doc.announced
    announced = None
    if a is not None:
        announced = (
            f"An official announcement with dates is read as a claim kept with probability q "
            f"(docs/model.md, section 3.5): posterior median {a.p50:.2f} (80% interval "
            f"{a.lo:.2f}–{a.hi:.2f}), from a prior of {a.prior_low:g}–{a.prior_high:g} at "
            f"{100 * a.prior_confidence:.0f}% and the record's announcements as known then."
        )
    f = getattr(doc, "framed", None)
    if announced is not None and f is not None:
        announced += (
            f" Any other signal that states a window (a confirmation for a date, a report of a "
            f"visit within days) is read the same way with its own probability of "
            f"being borne out, q_f: posterior median {f.p50:.2f} (80% interval "
            f"{f.lo:.2f}–{f.hi:.2f}), from a prior of {f.prior_low:g}–{f.prior_high:g} at "
            f"{100 * f.prior_confidence:.0f}%."
        )
    return {"headline": _pct(doc.headline.by_horizon_end.p), "rows": rows, "announced": announced}


def short_track(backtest_json: str | None, data_sha256: str | None = None) -> list[str]:
    """Lines of the short-horizon track for the report's track record; none if absent.

    ``short-horizon.json`` is read from the directory beside ``backtest.json``'s, named like it
    with ``-short`` (``reports/backtest-short/`` beside ``reports/backtest/``, where
    ``forecast backtest --short`` writes it by default). A track run on another version of the
    dataset than ``data_sha256`` (the forecast's) is flagged in its first line."""
    import json
    from pathlib import Path

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
        if data_sha256 is not None and doc.get("data_sha256") not in (None, data_sha256):
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
