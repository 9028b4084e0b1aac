"""A pydantic error on a scenario as one :class:`~forecast.errors.InputError` line.

:func:`scenario_input_error` reports every problem (up to ten, then a count), the first as the
error's field, each with its field path as the file spells it, list items named by their ``id``
or ``name`` (``indicators -> treaty_anniversary -> multiplier``; ``#2`` for an item without a
unique one): the discriminator tags pydantic adds to a location
(``events -> 0 -> summit -> date``) are dropped, a misspelt key gets a "did you mean" from the
keys allowed at its place, and a bad value is shown bounded so the message stays readable. The
scenario models are in :mod:`forecast.config.scenario`; the pieces shared with the forecast
document's messages are in :mod:`forecast.config.errors`.
"""

from __future__ import annotations

import difflib
import reprlib
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ValidationError

from forecast.config.errors import At, first_problem, models_in, name_items, path_part
from forecast.errors import InputError


def scenario_input_error(
    exc: ValidationError,
    source: str | Path,
    data: Any,
    *,
    model: type[BaseModel],
    tags: Mapping[type[BaseModel], tuple[str, ...]],
) -> InputError:
    """One :class:`InputError` line for a pydantic error on scenario data: the first problem
    and its field path, without the discriminator tags pydantic adds to the location.

    ``model`` is the validated model (the scenario), whose fields give an unknown key its
    "did you mean"; ``tags`` gives the tags of the union members that a callable
    discriminator selects, which have no ``Literal`` ``kind`` field to read them from.
    """
    errors = exc.errors(include_url=False)
    first = first_problem(errors)
    # A misspelt required key is one problem, not two ('unknown key' + 'missing field'): a
    # 'missing' error that first_problem would report as a misspelt key is left out.
    problems = [first] + [
        e
        for e in errors
        if e is not first and not (e["type"] == "missing" and first_problem([e, *errors]) is not e)
    ]
    described = [_describe(e, data, model, tags) for e in problems]
    field, message = described[0]
    others = [_short(f"{f}: {m}" if f else m) for f, m in described[1:MAX_PROBLEMS]]
    if others:
        message += "; also " + "; ".join(others)
    if len(described) > MAX_PROBLEMS:
        left = len(described) - MAX_PROBLEMS
        message += f" (and {left} more problem{'s' if left > 1 else ''})"
    return InputError(source, field, message)


#: The most problems one message lists; any more are counted.
MAX_PROBLEMS = 10


def _short(text: str, width: int = 140) -> str:
    """A listed problem, cut to ``width`` characters so the line stays readable."""
    return text if len(text) <= width else text[: width - 3] + "..."


def _describe(
    err: dict, data: Any, model: type[BaseModel], tags: Mapping[type[BaseModel], tuple]
) -> tuple[str | None, str]:
    """One problem's field path (items named by id or name) and message."""
    loc: tuple = tuple(err["loc"])
    ctx_error = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_error, At):
        loc = loc + ctx_error.loc
        message = str(ctx_error)
    else:
        message = _message(err, loc, model, tags)
    # Discriminated unions add the tag to the location ('events -> 0 -> summit -> date'); drop it.
    loc = _drop_tags(loc, data)
    field = " -> ".join(path_part(p) for p in name_items(loc, data)) or None
    return field, message


def _message(
    err: dict, loc: tuple, model: type[BaseModel], tags: Mapping[type[BaseModel], tuple]
) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = [name for name in _fields_at(loc[:-1], model, tags) if name != loc[-1]]
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        msg = "unknown key"
        if hint:
            msg += f"; did you mean '{hint[0]}'?"
        elif allowed:
            msg += f"; expected one of: {', '.join(sorted(allowed))}"
        return msg
    if kind == "missing":
        return "missing required field"
    if kind in (
        "date_from_datetime_parsing",
        "date_from_datetime_inexact",
        "date_parsing",
        "date_type",
    ):
        return f"expected a real date as YYYY-MM-DD (got {_show(err.get('input'))})"
    if kind == "literal_error":
        return f"expected {err['ctx']['expected']} (got {_show(err.get('input'))})"
    if kind == "union_tag_invalid":
        return f"unknown kind {err['ctx']['tag']!r}; expected one of {err['ctx']['expected_tags']}"
    if kind == "union_tag_not_found":
        return "missing 'kind'"
    if kind == "string_pattern_mismatch":
        return "expected lower-case letters, digits, '_' or '-' (e.g. 'treaty_anniversary')"
    msg = err["msg"]
    msg = msg.removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        msg = f"{msg} (got {_show(err.get('input'))})"
    return msg[0].lower() + msg[1:] if msg else msg


# Bounded repr of a bad value: keeps the message to one short line, even for a large (or
# alias-expanded) structure, which a plain repr would print in full.
_SHORT = reprlib.Repr(
    maxlevel=1, maxdict=3, maxlist=3, maxtuple=3, maxset=3, maxstring=40, maxlong=40, maxother=40
)


def _show(value: Any) -> str:
    try:
        return _SHORT.repr(value)
    except ValueError:  # an int too long to print
        return f"a {type(value).__name__}"


_TAGS = frozenset({"summit", "exchange", "occasion", "factor"})


def _drop_tags(loc: tuple, data: Any) -> tuple:
    out: list = []
    node = data
    for part in loc:
        in_dict = isinstance(node, dict) and part in node
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_dict or in_list:
            out.append(part)
            node = node[part]
        elif isinstance(part, str) and part in _TAGS:
            continue  # a discriminator tag, not a key of the file
        else:
            out.append(part)
            node = None
    return tuple(out)


def _fields_at(
    loc: tuple, root: type[BaseModel], tags: Mapping[type[BaseModel], tuple]
) -> list[str]:
    """Names allowed at a location, for the 'did you mean' hint."""
    models: list[type[BaseModel]] = [root]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for model in models:
            field = model.model_fields.get(part)
            if field is not None:
                nxt.extend(models_in(field.annotation))
        # A discriminated union puts the tag in the location ('summit', 'exchanges'): keep the
        # member it selects, so the hint offers only keys allowed there.
        models = nxt or [m for m in models if part in _tags(m, tags)] or models
    names: set[str] = set()
    for model in models:
        names.update(model.model_fields)
    return sorted(names)


def _tags(model: type[BaseModel], tags: Mapping[type[BaseModel], tuple]) -> tuple:
    """The values of a model's 'kind' discriminator (empty if it has none)."""
    if model in tags:
        return tags[model]
    field = model.model_fields.get("kind")
    if field is None or typing.get_origin(field.annotation) is not Literal:
        return ()
    return typing.get_args(field.annotation)
