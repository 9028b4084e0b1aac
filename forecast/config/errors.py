"""Pieces shared by every translation of a pydantic error into one :class:`InputError` line.

The scenario loader (:mod:`forecast.config.scenario`) and the forecast-document reader
(:mod:`forecast.io.document`) word their messages differently, but pick the problem to report,
spell a field path and find the models behind an annotation the same way, here.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any

from pydantic import BaseModel


class At(ValueError):
    """A validation error raised by a whole-model check, carrying its own location."""

    def __init__(self, loc: tuple, message: str) -> None:
        super().__init__(message)
        self.loc = loc


def first_problem(errors: list) -> dict:
    """The problem to report: the first one, except that a required field that is missing
    because its key is misspelt is reported as the misspelt key (with its 'did you mean')."""
    first = errors[0]
    if first["type"] == "missing":
        parent, name = tuple(first["loc"][:-1]), str(first["loc"][-1])
        for err in errors:
            loc = tuple(err["loc"])
            if (
                err["type"] == "extra_forbidden"
                and loc[:-1] == parent
                and difflib.get_close_matches(str(loc[-1]), [name], n=1, cutoff=0.6)
            ):
                return err
    return first


def path_part(part: Any) -> str:
    """One step of a field path; text with control characters is quoted so it stays one line."""
    text = str(part)
    return text if text.isprintable() else repr(text)


def models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation can hold (through Annotated, unions and containers)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return models_in(typing.get_args(annotation)[0])
    if origin in (list, tuple, dict, typing.Union, types.UnionType):
        found: list[type[BaseModel]] = []
        for arg in typing.get_args(annotation):
            found.extend(models_in(arg))
        return found
    return []


def item_name(items: list, index: int) -> str:
    """How a field path names ``items[index]``: its ``id`` or ``name`` when that is a text
    unique in the list, else its 1-based position ``#N``."""
    item = items[index] if 0 <= index < len(items) else None
    for key in ("id", "name"):
        value = item.get(key) if isinstance(item, dict) else None
        if isinstance(value, str) and value.strip():
            same = [x for x in items if isinstance(x, dict) and x.get(key) == value]
            if len(same) == 1:
                return value.strip()
    return f"#{index + 1}"


def name_items(loc: tuple, data: Any) -> tuple:
    """``loc`` with each list position replaced by :func:`item_name` of the item in ``data``."""
    out: list = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            out.append(item_name(node, part))
            node = node[part] if 0 <= part < len(node) else None
        else:
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return tuple(out)
