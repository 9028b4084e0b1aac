"""JSON Schemas (draft 2020-12) of the scenario file and of ``forecast.json``.

Both come from the pydantic models (:class:`~forecast.config.scenario.Scenario`,
:class:`~forecast.io.document.ForecastDocument`), with two kinds of repair:

* Bounds pydantic leaves as its own ``ge``/``le``/``gt``/``lt`` keys (it does so for a number
  type with a before-validator, such as the scenario's ``confidence``) become ``minimum``,
  ``maximum``, ``exclusiveMinimum`` and ``exclusiveMaximum``; otherwise a validator would
  ignore them.
* The scenario schema accepts what the YAML loader and the scenario model accept: a number
  may also be written as numeric text (PyYAML reads ``1e9`` and ``1.0e9`` as text, and the
  model converts it); text may carry surrounding whitespace (the model strips it before the
  pattern is checked). Dates are ``YYYY-MM-DD`` text (``format: date`` and a pattern).

A schema checks each value on its own. Cross-field rules (``horizon_end`` after ``as_of``,
windows inside the horizon, ``[low, high]`` with ``low < high``, unique names) and the
cross-checks against the dataset (known occasions, the dyad's terms and venues) are left to
``forecast validate``.

``python -m forecast.io.schemas [DIR]`` writes ``scenario.schema.json`` and
``forecast.schema.json`` to ``DIR`` (default ``schemas``), byte-stable (sorted keys).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from forecast.config.fields import MULTIPLIER_BOUNDS
from forecast.config.scenario import Scenario
from forecast.io.document import DATE_PATTERN, FORECAST_SCHEMA, ForecastDocument

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCENARIO_SCHEMA_ID = "summit-forecast/scenario/1"
FORECAST_SCHEMA_ID = FORECAST_SCHEMA  # the value of the document's own "schema" key
FILES = {"scenario": "scenario.schema.json", "forecast": "forecast.schema.json"}

# Finite decimal numbers as Python's float() reads them (digits may be grouped by '_').
_DIGITS = r"[0-9](_?[0-9])*"
NUMERIC_TEXT = rf"^\s*[+-]?({_DIGITS}(\.({_DIGITS})?)?|\.{_DIGITS})([eE][+-]?{_DIGITS})?\s*$"
_BOUNDS = {"ge": "minimum", "le": "maximum", "gt": "exclusiveMinimum", "lt": "exclusiveMaximum"}


def scenario_schema() -> dict:
    """The JSON Schema of a scenario file (``schema_version: 1``), as plain data."""
    schema = Scenario.model_json_schema()
    _fix_bounds(schema)
    _multiplier_bounds(schema)
    _as_the_loader_reads(schema)
    return _head(
        schema,
        SCENARIO_SCHEMA_ID,
        "Summit Forecast scenario (schema_version 1)",
        "A scenario file for 'python -m forecast run' (docs/forecast-json.md §3): the "
        "question, the horizon, the windows of interest and the analysts' stated effects. "
        "Checks each value on its own; cross-field rules and the cross-checks against the "
        "dataset are made by 'python -m forecast validate'.",
    )


def forecast_schema() -> dict:
    """The JSON Schema of ``forecast.json`` (``summit-forecast/forecast.json/1``)."""
    schema = ForecastDocument.model_json_schema()
    _fix_bounds(schema)
    _dates(schema)
    return _head(
        schema,
        FORECAST_SCHEMA_ID,
        "Summit Forecast forecast.json",
        "The forecast document written by 'python -m forecast run' (docs/forecast-json.md §1). "
        "Non-finite numbers never appear (the writer puts null where a field allows it). "
        "Cross-field rules (by_date ends with the headline, venue shares sum to 1, ...) are "
        "checked by forecast.io.document.read_document.",
    )


def write_schemas(directory: str | Path) -> dict[str, Path]:
    """Write both schemas into ``directory`` (created if needed); return their paths."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for key, schema in (("scenario", scenario_schema()), ("forecast", forecast_schema())):
        path = out / FILES[key]
        path.write_text(dumps(schema), encoding="utf-8")
        paths[key] = path
    return paths


def dumps(schema: dict) -> str:
    """A schema's byte-stable text: sorted keys, indented by 2, UTF-8, final newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- repairs


def _head(schema: dict, schema_id: str, title: str, description: str) -> dict:
    return {
        "$schema": DRAFT,
        "$id": schema_id,
        **schema,
        "title": title,
        "description": description,
    }


def _nodes(node: Any):
    """Every schema object inside ``node``, ``node`` included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def _fix_bounds(schema: dict) -> None:
    for node in _nodes(schema):
        if node.get("type") in ("number", "integer"):
            for key, keyword in _BOUNDS.items():
                if key in node and keyword not in node:
                    node[keyword] = node.pop(key)


def _multiplier_bounds(schema: dict) -> None:
    """``multiplier: [low, high]`` with both inside MULTIPLIER_BOUNDS (a field validator in
    the model, so pydantic does not write it)."""
    low, high = MULTIPLIER_BOUNDS
    for model in schema["$defs"].values():
        prop = model.get("properties", {}).get("multiplier")
        if prop is not None:
            for item in prop.get("prefixItems", ()):
                item.update(minimum=low, maximum=high)


def _as_the_loader_reads(schema: dict) -> None:
    """Accept numeric text for numbers and surrounding whitespace around patterned text."""
    for node in list(_nodes(schema)):
        if node.get("type") == "number":
            number = {
                k: node.pop(k) for k in list(node) if k not in ("title", "description", "default")
            }
            node["anyOf"] = [number, {"type": "string", "pattern": NUMERIC_TEXT}]
        elif node.get("type") == "string" and node.get("format") == "date":
            node["pattern"] = DATE_PATTERN
        elif node.get("type") == "string" and "pattern" in node:
            inner = node["pattern"].removeprefix("^").removesuffix("$")
            node["pattern"] = rf"^\s*(?:{inner})\s*$"


def _dates(schema: dict) -> None:
    for node in _nodes(schema):
        if node.get("type") == "string" and node.get("format") == "date":
            node.setdefault("pattern", DATE_PATTERN)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    for path in write_schemas(args[0] if args else "schemas").values():
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
