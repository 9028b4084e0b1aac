"""The scenario format's building blocks: its bounds, field types and strict base model.

Shared by :mod:`forecast.config.scenario` and the parts it is made of
(:mod:`forecast.config.ceasefire`, :mod:`forecast.config.events`).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat

from forecast.config.errors import At

MAX_HORIZON_DAYS = 5 * 366
MULTIPLIER_BOUNDS = (1e-3, 1e3)


def _date_text(value: Any) -> Any:
    """Dates come as YYYY-MM-DD text; a bare number (e.g. a Unix time) is refused."""
    if isinstance(value, date | str):
        return value
    raise ValueError(f"expected a real date as YYYY-MM-DD (got {value!r})")


Day = Annotated[date, BeforeValidator(_date_text)]


def _number(value: Any) -> Any:
    """Numbers, including YAML 1.1's '1e9' (which PyYAML reads as text); never true/false."""
    if isinstance(value, bool):
        raise ValueError(f"expected a number (got {value!r})")
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"expected a number (got {value[:40]!r})") from None
    return value


Number = Annotated[StrictFloat, BeforeValidator(_number)]
Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=64)]
Text = Annotated[str, Field(min_length=1, max_length=2000)]


class Strict(BaseModel):
    """A part of the scenario: unknown keys refused, frozen, text stripped."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def unique(items: list, attr: str, *where: str) -> None:
    """Refuse a second item with the same ``attr``, naming both positions (from 1)."""
    seen: dict[Any, int] = {}
    for i, item in enumerate(items):
        value = getattr(item, attr)
        if value in seen:
            raise At((*where, i, attr), f"duplicate {attr} {value!r} (also at {seen[value]})")
        seen[value] = i
