"""Signals: announcements, confirmations, invitations, reports, assessments, preparations,
denials and cancellations of a meeting, as public on their date.

A dataset's ``signals.csv`` holds one row per signal, transcribed from the fact sheets with its
source address. A row is validated on load like the other tables (one-line errors naming the
file, the row and the field); the record's :meth:`~forecast.domain.record.Dataset.known_on`
drops signals dated after ``as_of``. Rows the sheet marks uncertain are kept, flagged, and left
out of the model (:func:`in_fit`), as are ``neutral`` rows (a refusal to comment).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from forecast.domain.vocab import AGAINST_KINDS, SignalKind, SignalStance, TimeFrame

#: The announcement kind: it must state the last day of its window.
ANNOUNCEMENT = "official_announcement_with_dates"

#: How many days after the signal's date each time frame stated in words covers (one reading
#: for every row and scenario alike, docs/model.md §3.5); "early next week" is Monday to
#: Wednesday of the next calendar week instead. "Soon" and "in the near future" get none.
TIME_FRAME_DAYS = {"in the coming days": 7, "in a few days": 7, "in the coming weeks": 28}


def time_frame_window(time_frame: TimeFrame, day: date) -> tuple[date | None, date]:
    """The window ``(window_start, window_end)`` a time frame stated on ``day`` is read as: an
    open start (from the day) and the ``TIME_FRAME_DAYS`` after it, or for "early next week"
    Monday to Wednesday of the week after ``day``'s."""
    if time_frame == "early next week":
        monday = day + timedelta(days=7 - day.weekday())
        return monday, monday + timedelta(days=2)
    return None, day + timedelta(days=TIME_FRAME_DAYS[time_frame])


def with_time_frame(signal) -> None:
    """Set the window of ``signal`` (a dataset row or a scenario's entry, in its own
    validator) to the one its ``time_frame`` states, in place; unchanged when it states none
    or already holds that window.

    Raises
    ------
    ValueError
        A ``time_frame`` given together with a different ``window_start`` or ``window_end``.
    """
    if signal.time_frame is None:
        return
    start, end = time_frame_window(signal.time_frame, signal.date)
    if (signal.window_start, signal.window_end) == (start, end):
        return
    if signal.window_start is not None or signal.window_end is not None:
        raise ValueError(
            f"expected either time_frame ({signal.time_frame!r}) or window_start/window_end, "
            "not both"
        )
    # inside the model's own "after" validator: its fields are set in place (frozen models too),
    # since pydantic keeps the instance it validated, not one returned in its stead
    object.__setattr__(signal, "window_start", start)
    object.__setattr__(signal, "window_end", end)


def check_signal_fields(signal) -> None:
    """The checks across a signal's fields, for a dataset row and a scenario's ``signals``
    entry alike (anything with ``kind``, ``stance``, ``window_start`` and ``window_end``).

    Raises
    ------
    ValueError
        An announcement without a ``window_end``, a window ending before it starts, or a
        denial or cancellation said to be ``for`` a meeting.
    """
    if signal.kind == ANNOUNCEMENT and signal.window_end is None:
        raise ValueError("expected a 'window_end': an announcement with dates states them")
    start, end = signal.window_start, signal.window_end
    if start and end and end < start:
        raise ValueError(f"expected window_start <= window_end (got {start} .. {end})")
    if signal.kind in AGAINST_KINDS and signal.stance == "for":
        raise ValueError(f"expected stance 'against' or 'neutral' for a {signal.kind}")


class Signal(BaseModel):
    """One public signal about a coming meeting of the dyad's leaders.

    ``travels`` is the side whose leader is to travel (a side id of the dyad, or ``both`` for a
    meeting in a third place); ``venue_class`` the venue the signal names, if it names one;
    ``window_start``/``window_end`` the dates or window it states (an open start means from the
    signal's date), or ``time_frame`` a time frame it states only in words, which sets them
    (:func:`time_frame_window`). ``stance`` defaults to ``against`` for denials and
    cancellations and to ``for`` otherwise; ``reliability`` (default 1) weighs the signal in
    its term's sum.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    id: Annotated[str, Field(min_length=1)]
    date: date
    date_precision: Annotated[str, Field(pattern="^(day|month)$")] = "day"
    kind: SignalKind
    qualifier: str | None = None
    stance: SignalStance | None = None
    who: Annotated[str, Field(min_length=1)]
    what: Annotated[str, Field(min_length=1)]
    travels: str | None = None
    venue_class: str | None = None
    window_start: date | None = None
    window_end: date | None = None
    time_frame: TimeFrame | None = None
    episode: str | None = None
    reliability: Annotated[float, Field(ge=0.0, le=2.0)] = 1.0
    uncertain: bool
    source: Annotated[str, Field(min_length=4)]
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        with_time_frame(self)
        check_signal_fields(self)
        return self

    @property
    def effective_stance(self) -> str:
        """The stance, with the kind's default where the row states none."""
        if self.stance is not None:
            return self.stance
        return "against" if self.kind in AGAINST_KINDS else "for"

    @property
    def window_from(self) -> date:
        """The first day of the stated window (the signal's date when it states no start)."""
        return self.window_start or self.date


def in_fit(signal: Signal, *, include_uncertain: bool = False) -> bool:
    """Whether a signal enters the model: not neutral, reliability above 0, and not uncertain
    unless ``include_uncertain`` (the scenario's ``model.include_uncertain_signals``)."""
    if signal.uncertain and not include_uncertain:
        return False
    return signal.effective_stance != "neutral" and signal.reliability > 0
