"""Rolling a scenario forward: a new ``as_of``, the windows that have passed dropped, the ones
that have begun trimmed, and news added (events, signals), each change said in words.

:func:`roll_forward` edits the scenario's plain data (as read from YAML) and returns it with
the list of changes; the result is validated by :func:`forecast.config.scenario.parse_scenario`
like any scenario, so an impossible roll (every window over, a horizon already past) is one
line naming the field.
"""

from __future__ import annotations

import copy
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from forecast.config.yaml_loader import load_yaml
from forecast.errors import InputError


def _day(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def news_items(path: str | Path, key: str) -> list[dict]:
    """The entries of a news file: a YAML list of ``key`` entries (events or signals), a single
    entry, or a mapping with the list under ``key``."""
    raw = load_yaml(path)
    if isinstance(raw, dict) and key in raw:
        raw = raw[key]
    if isinstance(raw, dict):
        raw = [raw]
    if not isinstance(raw, list) or not raw or not all(isinstance(x, dict) for x in raw):
        raise InputError(
            path, key, f"expected a list of {key} (or one), as in a scenario's '{key}'"
        )
    return raw


def roll_forward(
    raw: dict,
    as_of: date,
    *,
    events: list[dict] | None = None,
    signals: list[dict] | None = None,
    source: str = "<scenario>",
) -> tuple[dict, list[str]]:
    """The scenario ``raw`` as of ``as_of``, and the changes made, one sentence each.

    * ``as_of`` moves forward (it may not move back, nor reach the horizon's end);
    * a window that ended on or before ``as_of`` is dropped; one that began on or before it
      starts the day after;
    * a ``ceasefire`` point assumption whose start is now past starts the day after ``as_of``
      (the assumption stays "a ceasefire is in effect"); an uncertain one with a date on or
      before ``as_of`` is refused, since whether the ceasefire came is now known and must be
      restated;
    * ``events`` and ``signals`` are appended to the scenario's lists.

    Raises
    ------
    InputError
        For an ``as_of`` not after the old one or not before ``horizon_end``, no window left,
        or an uncertain ceasefire with a date already past.
    """
    new = copy.deepcopy(raw)
    old = _day(raw["as_of"])
    end = _day(raw["horizon_end"])
    if as_of <= old:
        raise InputError(source, "--as-of", f"expected a date after the run's as_of {old}")
    if as_of >= end:
        raise InputError(
            source, "--as-of", f"expected a date before the horizon's end {end}; extend the horizon"
        )
    changes = [f"as_of: {old} → {as_of}"]
    new["as_of"] = as_of.isoformat()
    first = as_of + timedelta(days=1)
    kept = []
    for w in raw.get("windows") or []:
        start, stop = _day(w["start"]), _day(w["end"])
        if stop <= as_of:
            changes.append(f"window '{w['name']}' dropped (it ended {stop})")
            continue
        w = dict(w)
        if start <= as_of:
            w["start"] = first.isoformat()
            changes.append(f"window '{w['name']}' trimmed: starts {first} instead of {start}")
        kept.append(w)
    if not kept:
        raise InputError(source, "windows", f"every window ends on or before {as_of}; add one")
    new["windows"] = kept
    cf = raw.get("ceasefire") or {}
    if cf.get("assumption") == "ceasefire" and _day(cf["start"]) <= as_of:
        new["ceasefire"] = {**cf, "start": first.isoformat()}
        changes.append(f"ceasefire: in effect from {first} (it was assumed from {cf['start']})")
    if cf.get("assumption") == "uncertain":
        dates = [p["date"] for p in cf.get("by_date") or []]
        dates += [a["start"] for a in cf.get("alternatives") or [] if a.get("start")]
        past = [d for d in dates if _day(d) <= as_of]
        if past:
            raise InputError(
                source,
                "ceasefire",
                f"the uncertain assumption states {past[0]}, on or before the new as_of {as_of}: "
                "whether a ceasefire came is known by then; restate the assumption",
            )
    for key, items in (("events", events), ("signals", signals)):
        if items:
            new[key] = list(raw.get(key) or []) + [dict(x) for x in items]
            changes.append(f"{key}: {len(items)} added")
    return new, changes
