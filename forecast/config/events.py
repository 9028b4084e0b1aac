"""The scenario's own record: events the dataset does not hold (summits, exchanges,
scheduled occasions) and signals (news as of the scenario's date)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import Field, StrictBool, model_validator

from forecast.config.fields import Day, Number, Slug, Strict, Text
from forecast.domain.signals import check_signal_fields, with_time_frame
from forecast.domain.vocab import Rank, SignalKind, SignalStance, TimeFrame


class SummitEvent(Strict):
    kind: Literal["summit"]
    date: Day
    venue_class: Slug
    travelled: Slug
    multilateral: StrictBool = False
    source: Text
    note: str | None = None


class ExchangeEvent(Strict):
    kind: Literal["exchange"]
    start: Day
    end: Day | None = None
    person: Text
    role: Text
    rank: Rank
    direction: Annotated[str, Field(pattern="^to_[a-z0-9_]+$")]
    met_leader: StrictBool = False
    source: Text
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"expected start <= end (got start {self.start}, end {self.end})")
        return self


class OccasionEvent(Strict):
    """A scheduled occasion (e.g. a forum or parade) that may host a summit."""

    kind: Literal["occasion"]
    id: Slug
    name: Text
    start: Day
    end: Day
    venue_class: Slug
    multilateral: StrictBool = True
    announced_on: Day
    source: Text

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"expected start <= end (got start {self.start}, end {self.end})")
        return self


Event = Annotated[SummitEvent | ExchangeEvent | OccasionEvent, Field(discriminator="kind")]


class SignalEntry(Strict):
    """News the dataset does not hold: a signal about a coming meeting, with the fields of the
    dataset's ``signals.csv`` (docs/model.md §3.5). ``reliability`` is the analyst's judgment
    of this source against the record's typical one (1, the default: as reliable; 0.5: counts
    half; 0: ignored); ``travels`` and ``venue_class`` are checked against the dataset's dyad."""

    id: Slug
    date: Day
    kind: SignalKind
    who: Text
    what: Text
    source: Text
    stance: SignalStance | None = None
    travels: Slug | None = None
    venue_class: Slug | None = None
    window_start: Day | None = None
    window_end: Day | None = None
    time_frame: TimeFrame | None = None
    reliability: Annotated[Number, Field(ge=0.0, le=2.0)] = 1.0
    note: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        with_time_frame(self)
        check_signal_fields(self)
        return self
