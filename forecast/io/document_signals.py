"""The ``signals`` part of forecast.json: the news live on ``as_of`` and what each one does.

Optional with an empty default, so files written before it still validate.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, Strict

from forecast.io.document_parts import Count, DocumentModel, IsoDate, Name

Probability = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]


class AnnouncedMeetings(DocumentModel):
    """The announced meetings' ``q``, or the time-framed signals' ``q_f`` (docs/model.md
    §3.5): its prior as stated (a range of probabilities at a confidence) and its posterior
    median and 80% interval."""

    prior_low: Probability
    prior_high: Probability
    prior_confidence: Probability
    p50: Probability
    lo: Probability
    hi: Probability


class NewsToComeSummary(DocumentModel):
    """What the news still to come adds (docs/model.md §3.5, forecast/design/news.py): P(next
    summit by the horizon end) and in the first window from the same draws with the news known
    on ``as_of`` only (the headline and the first window's figure include it)."""

    p_without: Probability
    first_window_without: Probability


class LiveSignal(DocumentModel):
    """One signal of the record (or the scenario) still counting on the first horizon day.

    ``p_without`` is P(next summit by the horizon end) from the same draws with this signal
    left out of the horizon's covariates (as the report's indicator influence does for a
    statement), ``p_without_kind`` with every live signal of its kind left out;
    ``record_followed`` of ``record_total`` signals of the same kind and stance, known with
    their outcome on ``as_of``, were followed by a meeting within 30 days.
    """

    id: Name
    date: IsoDate
    kind: Name
    term: Name
    #: The claim it is read as: ``announced_meeting`` (an official announcement with dates),
    #: ``framed_claim`` (any other signal stating a window), or None; None also in files
    #: written before it.
    claim: Name | None = None
    #: The time frame it states in words, which its window was read from (None: none).
    time_frame: Name | None = None
    who: Name
    what: Name
    source: Name
    window_start: IsoDate | None = None
    window_end: IsoDate | None = None
    venue_class: Name | None = None
    p_without: Probability
    #: The same with every live signal of its kind left out (None in files written before it).
    p_without_kind: Probability | None = None
    record_followed: Count
    record_total: Count
