"""Safe YAML loading: plain data only, dates left as text, duplicate keys refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from forecast.errors import InputError
from forecast.io.safe_read import decode_text, read_input

MAX_DEPTH = 50


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without implicit timestamps (pydantic checks dates) and without duplicate keys."""

    _depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # A scenario is a few levels deep; refuse pathological nesting before it costs anything.
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None,
                    None,
                    f"nested too deeply (more than {MAX_DEPTH} levels)",
                    self.peek_event().start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # PyYAML's scalar constructors raise plain ValueError ('!!int abc', '!!timestamp
        # 2025-02-30', an integer of thousands of digits); report those like any YAML error.
        try:
            return super().construct_object(node, deep=deep)
        except ValueError:
            tag = str(node.tag).rsplit(":", 1)[-1]
            raise yaml.constructor.ConstructorError(
                None, None, f"cannot read {_short(node.value)} as {tag}", node.start_mark
            ) from None


def _short(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else "this value"
    return text if len(text) <= 40 else text[:36] + "...'"


# Drop the timestamp resolver so '2025-02-30' reaches the schema as text and gets a clear error.
_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _PlainLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # '<<: *anchor' merges are resolved by construct_mapping below
        key = loader.construct_object(key_node, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "found a list or mapping used as a key", key_node.start_mark
            ) from None
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_PlainLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: str | Path, text: str | None = None) -> Any:
    """Read a YAML file as plain data, raising :class:`InputError` on any problem.

    Parameters
    ----------
    path
        The file; named in every message. It is read here (once, as a regular file of at most
        1 MiB: :func:`~forecast.io.safe_read.read_input`) unless ``text`` is given.
    text
        The file's content, already read (so a caller that hashes the bytes parses the same
        bytes); ``path`` is then only named in messages.
    """
    path = Path(path)
    if text is None:
        text = decode_text(read_input(path, what="YAML"), path)
    return parse_yaml(text, path)


def parse_yaml(text: str, path: str | Path) -> Any:
    """Parse YAML ``text`` (read from ``path``, which messages name) as plain data."""
    try:
        return yaml.load(text, Loader=_PlainLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}" if mark else None
        raise InputError(path, line, f"invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, None, f"invalid YAML: {exc}") from None
    except RecursionError:
        raise InputError(path, None, "invalid YAML: nested too deeply") from None
