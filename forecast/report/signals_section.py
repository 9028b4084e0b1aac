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
        ``headline`` (P by the horizon end, formatted), ``rows`` (lists of text cells; empty
        when no signal is live), ``announced`` (the paragraph on ``q`` and ``q_f``) and
        ``news`` (the paragraph on the news still to come), each None when not in the run.
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
    n = getattr(doc, "news_to_come", None)
    news = None
    if n is not None:
        first = doc.headline.first_window
        news = (
            "The figures also expect the news still to come: signals and claims arriving as "
            "often, and as long before a meeting, as they did before the record's meetings "
            "(docs/model.md, section 3.5). From the news known on the as-of date alone, a "
            f"summit by the horizon end has {_pct(n.p_without)} (with the news to come "
            f"{_pct(doc.headline.by_horizon_end.p)}) and one in the first window, {first.name}, "
            f"{_pct(n.first_window_without)} (with it {_pct(first.p)})."
        )
    return {
        "headline": _pct(doc.headline.by_horizon_end.p),
        "rows": rows,
        "announced": announced,
        "news": news,
    }
