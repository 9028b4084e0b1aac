"""The scenario's ceasefire assumption: a point (the war continues, or a ceasefire from a
date) or uncertain (a CDF of its start over the horizon, or weighted alternatives)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal, Self

from pydantic import Field, model_validator

from forecast.config.errors import At
from forecast.config.fields import Day, Number, Strict, Text, unique

MAX_PATHS = 24  # alternatives or points of an uncertain ceasefire


class CeasefirePoint(Strict):
    """One point of an uncertain ceasefire's distribution: P(it has started by ``date``)."""

    date: Day
    probability: Annotated[Number, Field(gt=0.0, le=1.0)]


class CeasefireAlternative(Strict):
    """One named alternative of an uncertain ceasefire, with its weight."""

    label: Annotated[str, Field(min_length=1, max_length=80)]
    weight: Annotated[Number, Field(gt=0.0, le=1.0)]
    start: Day | None = None  # None: the war continues throughout the horizon


class Ceasefire(Strict):
    """The assumption about the Russia–Ukraine war over the forecast horizon.

    ``war_continues`` and ``ceasefire`` (from ``start``) are points. ``uncertain`` states a
    distribution instead, in one of two forms (docs/forecast-json.md §3.3):

    * ``by_date``: the probability that a ceasefire has started by each of some dates, rising
      (``shape: linear``, the default, interpolates from 0 on ``as_of``; ``step`` puts each
      increase on its date); the remainder is "the war continues throughout";
    * ``alternatives``: named alternatives with weights summing to 1, each a ceasefire
      ``start`` or none.

    An uncertain assumption is a judgment, so it names who stated it and the source.
    """

    assumption: Literal["war_continues", "ceasefire", "uncertain"]
    start: Day | None = None
    by_date: Annotated[list[CeasefirePoint], Field(min_length=1, max_length=MAX_PATHS)] | None = (
        None
    )
    shape: Literal["linear", "step"] | None = None
    alternatives: (
        Annotated[list[CeasefireAlternative], Field(min_length=2, max_length=MAX_PATHS)] | None
    ) = None
    stated_by: Text | None = None
    source: Text | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _start_matches(self) -> Self:
        if self.assumption == "ceasefire" and self.start is None:
            raise ValueError("expected a 'start' date when assumption is 'ceasefire'")
        if self.assumption != "ceasefire" and self.start is not None:
            raise ValueError("'start' is only allowed when assumption is 'ceasefire'")
        forms = [k for k in ("by_date", "alternatives") if getattr(self, k) is not None]
        if self.assumption != "uncertain":
            if forms or self.shape is not None:
                extra = forms[0] if forms else "shape"
                raise ValueError(f"'{extra}' is only allowed when assumption is 'uncertain'")
            return self
        if len(forms) != 1:
            raise ValueError(
                "expected exactly one of 'by_date' (P(ceasefire started by each date)) or "
                "'alternatives' (named alternatives with weights) when assumption is 'uncertain'"
            )
        if self.shape is not None and self.by_date is None:
            raise ValueError("'shape' belongs to 'by_date'")
        for key in ("stated_by", "source"):
            if getattr(self, key) is None:
                raise ValueError(
                    f"expected '{key}' for an uncertain assumption (whose judgment it is)"
                )
        if self.by_date is not None:
            for i, (a, b) in enumerate(zip(self.by_date, self.by_date[1:], strict=False)):
                if b.date <= a.date:
                    raise At(("by_date", i + 1, "date"), f"expected a date after {a.date}")
                if b.probability < a.probability:
                    raise At(
                        ("by_date", i + 1, "probability"),
                        f"expected at least {a.probability:g}: the probability that a "
                        "ceasefire has started can only grow with the date",
                    )
        else:
            total = sum(a.weight for a in self.alternatives)
            if abs(total - 1.0) > 1e-6:
                raise At(("alternatives",), f"expected weights summing to 1 (got {total:g})")
            unique(self.alternatives, "label", "alternatives")
            unique(self.alternatives, "start", "alternatives")
        return self

    def dates(self) -> list[tuple[tuple, date]]:
        """Every date the assumption states, with its location in the scenario."""
        out: list[tuple[tuple, date]] = []
        if self.start is not None:
            out.append((("ceasefire", "start"), self.start))
        for i, point in enumerate(self.by_date or []):
            out.append((("ceasefire", "by_date", i, "date"), point.date))
        for i, alt in enumerate(self.alternatives or []):
            if alt.start is not None:
                out.append((("ceasefire", "alternatives", i, "start"), alt.start))
        return out
