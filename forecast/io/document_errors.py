"""A pydantic error on ``forecast.json`` data as one :class:`~forecast.errors.InputError` line.

:func:`pydantic_error_to_input_error` reports the first problem with its field path, list
entries named by their ``name``/``venue``/``date``/``month`` (``windows -> June 2025 -> p``),
and words it for a reader of the file: JSON's names for values (``null``, ``an object``), the
expected form of a hash or a month, a "did you mean" for a misspelt key. The typed models are
in :mod:`forecast.io.document` and :mod:`forecast.io.document_parts`; the pieces shared with
the scenario loader's messages are in :mod:`forecast.config.errors`.
"""

from __future__ import annotations

import difflib
import json
import math
import reprlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from forecast.config.errors import At, first_problem, models_in, path_part
from forecast.errors import InputError

ITEM_KEYS = ("name", "venue", "date", "month")  # what names a list entry in a field path

_PATTERN_HINTS = {
    r"^[0-9a-f]{64}$": "expected a SHA-256 as 64 lower-case hex digits",
    r"^[0-9]{4}-(0[1-9]|1[0-2])$": "expected a month as YYYY-MM",
}


def pydantic_error_to_input_error(
    exc: ValidationError,
    source: str | Path,
    data: Any,
    *,
    model: type[BaseModel] | None = None,
    item_keys: tuple[str, ...] = ITEM_KEYS,
) -> InputError:
    """One :class:`InputError` line for a pydantic error: the first problem, its field path.

    The path joins keys with `` -> ``; a list entry is named by the first of ``item_keys`` it
    holds as text (``windows -> June 2025 -> p``) when that name is unique among its siblings,
    else by its zero-based position. A whole-model check that raises an ``At`` error adds
    its own location. ``model`` (the validated model) lets an unknown key get a "did you mean".
    """
    errors = exc.errors(include_url=False)
    err = first_problem(errors)
    loc = tuple(err["loc"])
    ctx_error = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_error, At):
        loc = loc + ctx_error.loc
        message = str(ctx_error)
    else:
        message = _message(err, loc, model)
    others = len(errors) - (2 if err is not errors[0] else 1)
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others > 0 else ""
    field = " -> ".join(_named_path(loc, data, item_keys)) or None
    return InputError(source, field, message + more)


def _named_path(loc: tuple, data: Any, item_keys: tuple[str, ...]) -> list[str]:
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
            parts.append(path_part(_item_name(node, part, item_keys)))
            node = node[part]
        elif isinstance(node, dict) and part in node:
            parts.append(path_part(part))
            node = node[part]
        else:
            parts.append(path_part(part))
            node = None
    return parts


def _item_name(items: list | tuple, index: int, item_keys: tuple[str, ...]) -> Any:
    item = items[index]
    if not isinstance(item, dict):
        return index
    for key in item_keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            same = sum(1 for other in items if isinstance(other, dict) and other.get(key) == value)
            return value if same == 1 else index
    return index


def _message(err: dict, loc: tuple, model: type[BaseModel] | None) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = show_json(err.get("input"))
    if kind == "extra_forbidden":
        allowed = [n for n in _fields_at(model, loc[:-1]) if n != loc[-1]] if model else []
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if hint:
            return f"unknown key; did you mean '{hint[0]}'?"
        return f"unknown key; expected one of: {', '.join(allowed)}" if allowed else "unknown key"
    if kind == "missing":
        if loc and isinstance(loc[-1], int):  # a fixed-length list that is too short
            return "missing list entry (the list is too short)"
        return "missing required field"
    if kind == "finite_number":
        return f"expected a finite number (got {got})"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number (got {got})"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected an integer (got {got})"
    if kind in ("string_type", "str_type"):
        return f"expected text (got {got})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a JSON object (got {json_kind(err.get('input'))})"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (got {json_kind(err.get('input'))})"
    if kind == "literal_error":
        return f"expected {ctx['expected']} (got {got})"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        return f"{_PATTERN_HINTS.get(pattern, 'expected text matching ' + pattern)} (got {got})"
    if kind == "string_too_short":
        return "expected non-empty text"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        n = ctx.get("actual_length")
        return f"expected {word} {bound} entr{'y' if bound == 1 else 'ies'} (got {n})"
    for name, sign in (
        ("greater_than_equal", ">="),
        ("greater_than", ">"),
        ("less_than_equal", "<="),
        ("less_than", "<"),
    ):
        if kind == name:
            bound = next(iter(ctx.values()), "?")
            return (
                f"expected a number {sign} {bound:g} (got {got})"
                if isinstance(bound, int | float)
                else err["msg"]
            )
    msg = err["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        msg = f"{msg} (got {got})"
    return msg[0].lower() + msg[1:] if msg else msg


_SHORT = reprlib.Repr(
    maxlevel=1, maxdict=3, maxlist=3, maxtuple=3, maxstring=40, maxlong=40, maxother=40
)


def show_json(value: Any) -> str:
    """A bad value as JSON would spell it, bounded so the message stays one short line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        text = json.dumps(value if len(value) <= 40 else value[:36] + "...", ensure_ascii=False)
        return text if text.isprintable() else ascii(text)
    if isinstance(value, dict | list | tuple):
        return json_kind(value)
    try:
        return _SHORT.repr(value)
    except ValueError:  # an int too long to print
        return f"a {type(value).__name__}"


def json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Keys allowed at a location (as written in the file, i.e. aliases), for the hint."""
    models: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            for name, info in m.model_fields.items():
                if part in (name, info.alias):
                    nxt.extend(models_in(info.annotation))
        models = nxt
    return sorted({info.alias or name for m in models for name, info in m.model_fields.items()})
