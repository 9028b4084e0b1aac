"""The leader pair: who meets whom, where they can meet, and which terms the model uses.

A :class:`Dyad` is declared in a dataset's ``dataset.yaml`` (the ``dyad:`` block) and is the one
place that knows the two leaders, the venue classes (labels, cities, coordinates, default
odds), which summits count as events of the timing model, the host-turn rule and the terms of
the timing and venue models. Nothing outside :mod:`forecast.domain` names a leader or a venue.
"""

from __future__ import annotations

import math
from datetime import date
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

if TYPE_CHECKING:  # pragma: no cover
    from forecast.domain.record import Summit

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
BOTH = "both"
THIRD = "third_country"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Leader(_Strict):
    id: Slug
    name: str
    short: str
    side: Slug


class Side(_Strict):
    id: Slug
    name: str


class VenuePrior(_Strict):
    """The default odds of a venue against the home venue, stated as an analyst would."""

    low: Annotated[float, Field(gt=0)]
    high: Annotated[float, Field(gt=0)]
    confidence: Annotated[float, Field(ge=0.5, le=0.99)]
    label: str
    why: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low < self.high:
            raise ValueError(f"expected low < high (got {self.low}, {self.high})")
        return self


class Venue(_Strict):
    id: Slug
    label: str
    side: Slug | None = None
    city: str
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    prior: VenuePrior | None = None


class Dyad(_Strict):
    """Two leaders and everything about where and when they meet that is a fact, not a model."""

    leaders: tuple[Leader, Leader]
    sides: tuple[Side, Side]
    earlier_leaders: tuple[Slug, ...] = ()
    home_venue: Slug
    active_state: Slug | None = None
    venues: Annotated[tuple[Venue, ...], Field(min_length=2)]
    timing_terms: tuple[Slug, ...]
    venue_terms: tuple[Slug, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        side_ids = [s.id for s in self.sides]
        if len(set(side_ids)) != 2:
            raise ValueError("expected two different sides")
        for leader in self.leaders:
            if leader.side not in side_ids:
                raise ValueError(f"leader {leader.id!r}: side {leader.side!r} is not declared")
        ids = [v.id for v in self.venues]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate venue id")
        if ids[0] != self.home_venue:
            raise ValueError(f"expected the home venue {self.home_venue!r} first in 'venues'")
        for v in self.venues:
            if v.side is not None and v.side not in side_ids:
                raise ValueError(f"venue {v.id!r}: side {v.side!r} is not declared")
            if v.id != self.home_venue and v.prior is None:
                raise ValueError(f"venue {v.id!r}: expected a 'prior' (odds vs the home venue)")
        if len(set(self.timing_terms)) != len(self.timing_terms):
            raise ValueError("duplicate timing term")
        return self

    # ----------------------------------------------------------------- names

    @property
    def pair(self) -> str:
        """'Kim Jong Un and Vladimir Putin'."""
        return f"{self.leaders[0].name} and {self.leaders[1].name}"

    @property
    def pair_short(self) -> str:
        """'Kim–Putin'."""
        return f"{self.leaders[0].short}–{self.leaders[1].short}"

    def leader(self, leader_id: str) -> Leader | None:
        return next((x for x in self.leaders if x.id == leader_id), None)

    def side(self, side_id: str) -> Side:
        return next(s for s in self.sides if s.id == side_id)

    # ----------------------------------------------------------------- venues

    @cached_property
    def venue_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.venues)

    @property
    def alternatives(self) -> tuple[str, ...]:
        """The venue classes other than the home venue (the venue model's constants)."""
        return self.venue_ids[1:]

    def venue(self, venue_id: str) -> Venue:
        return self.venues[self.venue_ids.index(venue_id)]

    def venue_label(self, venue_id: str) -> str:
        """A venue class's label; an unknown id is returned as it is."""
        return self.venue(venue_id).label if venue_id in self.venue_ids else venue_id

    @property
    def venue_labels(self) -> dict[str, str]:
        return {v.id: v.label for v in self.venues}

    def venues_of(self, side_id: str) -> tuple[str, ...]:
        """The venue classes on one side's territory."""
        return tuple(v.id for v in self.venues if v.side == side_id)

    def venue_side(self, venue_id: str) -> str | None:
        return self.venue(venue_id).side

    @cached_property
    def distance_km(self) -> dict[str, float]:
        """Great-circle distance of each venue's city from the home venue's city."""
        home = self.venue(self.home_venue)
        return {v.id: great_circle_km((home.lat, home.lon), (v.lat, v.lon)) for v in self.venues}

    # ----------------------------------------------------------------- summits

    def is_event(self, summit: Summit) -> bool:
        """Whether a summit is a meeting of this dyad's two leaders (an event of the timing
        model), rather than one of their predecessors'."""
        return (summit.leader_a, summit.leader_b) == (self.leaders[0].id, self.leaders[1].id)

    def in_venue_model(self, summit: Summit, include_earlier: bool) -> bool:
        """Whether a summit is an observation of the venue model."""
        return self.is_event(summit) or include_earlier

    def side_to_host(self, last_hosted: dict[str, date | None]) -> str:
        """The side whose turn it is to host: the one that hosted less recently.

        With no earlier summit, or a tie, it is the second leader's side (for Kim–Putin:
        Russia), so the rule is deterministic.
        """
        first, second = (s.id for s in self.sides)
        a = last_hosted.get(first) or date.min
        b = last_hosted.get(second) or date.min
        return first if a < b else second


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))
