"""Closed vocabularies shared by every dataset and the scenario schema.

Venue classes, sides and leaders are not here: each dataset's dyad declares its own
(:mod:`forecast.domain.dyad`).
"""

from __future__ import annotations

from typing import Literal

#: Rank of an exchange's most senior traveller (guide: the datasets' READMEs).
Rank = Literal["L", "M1", "M2", "M3"]

#: Days per year: hazards are per year, the calendar is in days.
DAYS_PER_YEAR = 365.25

#: Kinds of public signal about a coming meeting (the fact sheets' vocabulary; rows of kind
#: ``meeting_held`` and ``context`` are not signals and are not transcribed).
SignalKind = Literal[
    "official_announcement_with_dates",
    "official_confirmation_without_dates",
    "official_invitation",
    "official_denial_or_no_plans",
    "intelligence_assessment",
    "media_report_citing_sources",
    "preparation_observed",
    "cancellation",
]

#: What a signal says about a meeting: ``for`` (one is coming), ``against`` (none is), or
#: ``neutral`` (a refusal to comment: kept in the data, in no term).
SignalStance = Literal["for", "against", "neutral"]

#: Time frames a signal may state only in words, each read as a fixed window after the
#: signal's date (:func:`forecast.domain.signals.time_frame_window`; docs/model.md §3.5).
TimeFrame = Literal["in the coming days", "in a few days", "in the coming weeks", "early next week"]

#: The kinds that are against a meeting whatever their wording.
AGAINST_KINDS = ("official_denial_or_no_plans", "cancellation")
