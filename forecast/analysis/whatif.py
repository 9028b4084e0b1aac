"""What if: edit one statement of a saved run's scenario (an indicator's stated range, the
ceasefire assumption) and re-forecast it, old and new side by side.

Only :func:`what_if` samples; a bad change fails before anything is sampled or written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd

from forecast.config.scenario import Scenario
from forecast.errors import InputError
from forecast.io.document import ForecastDocument, Interval, VenueShare, Window, as_document


@dataclass(frozen=True)
class Change:
    """A named edit of a scenario's plain data (see :func:`indicator_range`, :func:`ceasefire`)."""

    description: str
    apply: Callable[[dict], None]


def indicator_range(
    indicator_id: str, multiplier: tuple[float, float], confidence: float | None = None
) -> Change:
    """Restate one indicator's (or venue judgment's) multiplier range, and optionally confidence."""
    low, high = multiplier

    def apply(raw: dict) -> None:
        items = list(raw.get("indicators") or []) + list(
            (raw.get("venues") or {}).get("judgments") or []
        )
        target = next(
            (i for i in items if isinstance(i, dict) and i.get("id") == indicator_id), None
        )
        if target is None:
            known = ", ".join(str(i.get("id")) for i in items if isinstance(i, dict))
            raise InputError(
                "<scenario>",
                "indicators",
                f"no indicator or venue judgment {indicator_id!r}; expected one of {known}",
            )
        target["multiplier"] = [low, high]
        if confidence is not None:
            target["confidence"] = confidence

    text = f"{indicator_id}: multiplier {low:g}–{high:g}"
    if confidence is not None:
        text += f", {100 * confidence:.0f}% sure"
    return Change(text, apply)


def ceasefire(assumption: str, start: date | str | None = None) -> Change:
    """Replace the scenario's ceasefire assumption (``war_continues`` or ``ceasefire``)."""

    def apply(raw: dict) -> None:
        block: dict = {"assumption": assumption}
        if start is not None:
            block["start"] = str(start)
        raw["ceasefire"] = block

    return Change(f"ceasefire: {assumption}" + (f" from {start}" if start else ""), apply)


def doubt(scenario: Scenario, indicator_id: str) -> Change:
    """Restate an indicator as centred on no effect, keeping its width and confidence.

    A range ``[low, high]`` becomes ``[1/w, w]`` with ``w = sqrt(high/low)``: the analyst is as
    sure as before about how large the effect could be, but no longer about its direction.
    """
    items = {i.id: i for i in (*scenario.indicators, *scenario.venues.judgments)}
    if indicator_id not in items:
        raise InputError(
            "<scenario>",
            "indicators",
            f"no indicator or venue judgment {indicator_id!r}; expected one of {', '.join(items)}",
        )
    item = items[indicator_id]
    low, high = item.multiplier
    w = round(float(np.sqrt(high / low)), 3)
    return indicator_range(indicator_id, (round(1 / w, 3), w), item.confidence)


def opposite_ceasefire(scenario: Scenario) -> Change:
    """The other ceasefire assumption: a ceasefire from the day after ``as_of``, or none."""
    if scenario.ceasefire.assumption == "ceasefire":
        return ceasefire("war_continues")
    return ceasefire("ceasefire", scenario.as_of + timedelta(days=1))


@dataclass
class WhatIf:
    """A scenario forecast before and after one change, fitted with identical settings."""

    change: Change
    old: ForecastDocument
    new: ForecastDocument
    old_dir: Path
    new_dir: Path
    sampler: dict

    def __post_init__(self) -> None:
        self.old, self.new = as_document(self.old), as_document(self.new)

    def table(self) -> pd.DataFrame:
        """Old beside new: headline, windows and venues (see :func:`compare_documents`)."""
        return compare_documents(self.old, self.new)


def compare_documents(old: ForecastDocument | dict, new: ForecastDocument | dict) -> pd.DataFrame:
    """Probabilities of two forecast documents side by side (posterior means, 80% intervals).

    Rows: the summit by each horizon's end, each window of ``old`` and each venue class.
    A window is matched by its dates, not its name: a window of ``new`` with other dates (or
    none with these dates) gives ``n/a``, so two windows called "June" in different years are
    never compared. Columns: ``old``, ``new`` (mean with interval, as text), ``old p``,
    ``new p`` and ``change (points)``.
    """
    old, new = as_document(old), as_document(new)

    def fmt(x: Interval | Window | VenueShare | None) -> str:
        if x is None:
            return "n/a"
        return f"{100 * x.p:.0f}% ({100 * x.lo:.0f}–{100 * x.hi:.0f}%)"

    same_end = old.horizon_end == new.horizon_end
    end_name = (
        f"summit by {old.horizon_end}"
        if same_end
        else f"summit by the horizon's end ({old.horizon_end} vs {new.horizon_end})"
    )
    rows: list[tuple[str, object, object]] = [
        (end_name, old.headline.by_horizon_end, new.headline.by_horizon_end)
    ]
    new_windows = {(w.start, w.end): w for w in new.windows}
    for w in old.windows:
        rows.append(
            (f"window: {w.name} ({w.start} .. {w.end})", w, new_windows.get((w.start, w.end)))
        )
    new_venues = {v.venue: v for v in new.venues}
    for v in old.venues:
        rows.append((f"venue: {old.venue_labels[v.venue]}", v, new_venues.get(v.venue)))
    return pd.DataFrame(
        [
            {
                "quantity": name,
                "old": fmt(a),
                "new": fmt(b),
                "old p": a.p if a else np.nan,
                "new p": b.p if b else np.nan,
                "change (points)": 100 * (b.p - a.p) if a and b else np.nan,
            }
            for name, a, b in rows
        ]
    ).set_index("quantity")
