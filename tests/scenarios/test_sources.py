"""Quotations in the shipped scenarios are their sources' exact words, and the sources readers
see name the outlet, the article and its date, never a path inside the repository.

The quoted passages are kept in ``scenarios/sources/quoted.yaml``, so the check needs nothing
outside the repository; where the copies they were taken from are at hand (the shared
reference folder beside the repository), the excerpts themselves are checked against them.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import yaml

QUOTED = re.compile(r'"([^"]+)"|“([^”]+)”')


def _flat(text: str) -> str:
    return " ".join(text.split())


def _sources(root: Path) -> list[dict]:
    data = yaml.safe_load((root / "scenarios" / "sources" / "quoted.yaml").read_text("utf-8"))
    return data["sources"]


def _files(root: Path) -> list[Path]:
    return [
        *sorted((root / "scenarios").glob("*.yaml")),
        root / "scenarios/backtest/indicators.yaml",
    ]


def _items(node, item=None):
    """(string, the mapping that holds it or its nearest ancestor with a 'source') pairs."""
    if isinstance(node, dict):
        owner = node if "source" in node else item
        for value in node.values():
            yield from _items(value, owner)
    elif isinstance(node, list):
        for value in node:
            yield from _items(value, item)
    elif isinstance(node, str):
        yield node, item


def _cited(source_text: str, sources: list[dict]) -> list[dict]:
    text = _flat(source_text)
    return [
        s
        for s in sources
        if (s.get("address") and s["address"] in text) or _flat(str(s["article"])) in text
    ]


def _quotes(text: str) -> list[str]:
    return [m.group(1) or m.group(2) for m in QUOTED.finditer(_flat(text))]


def _occurs(quote: str, sources: list[dict]) -> bool:
    for s in sources:
        if quote == _flat(str(s["article"])):
            return True
        if any(quote in _flat(e) for e in s["excerpts"]):
            return True
    return False


def test_every_quotation_in_a_shipped_scenario_is_its_cited_source_s_exact_words(root):
    sources = _sources(root)
    problems = []
    for path in _files(root):
        text = path.read_text(encoding="utf-8")
        for value, item in _items(yaml.safe_load(text)):
            quotes = _quotes(value)
            if not quotes:
                continue
            cited = _cited(item["source"], sources) if item else []
            if not cited:
                problems.append(f"{path.name}: {value[:60]!r} quotes, but cites no known source")
            problems += [
                f"{path.name}: {q!r} is not in {[s['id'] for s in cited]}"
                for q in quotes
                if not _occurs(q, cited)
            ]
        comments = " ".join(
            line.lstrip()[1:] for line in text.splitlines() if line.lstrip().startswith("#")
        )
        problems += [
            f"{path.name} (comment): {q!r} is in no source"
            for q in _quotes(comments)
            if not _occurs(q, sources)
        ]
    assert not problems, "\n".join(problems)


def test_sources_shown_to_readers_name_the_outlet_not_a_path(root):
    sources = _sources(root)
    shown = []
    for path in _files(root):
        for value, item in _items(yaml.safe_load(path.read_text(encoding="utf-8"))):
            if item is not None and value is item["source"]:
                shown.append((path.name, value))
    with (root / "scenarios/backtest/seed-cases.csv").open(encoding="utf-8", newline="") as fh:
        shown += [("seed-cases.csv", row["source"]) for row in csv.DictReader(fh)]
    assert shown
    for name, value in shown:
        assert not re.search(r"shared/|seeds/|\.txt\b|\.md\b", value), (name, value)
        if _quotes(value):
            named = _cited(value, sources)
            assert named, (name, value)
            for s in named:  # the outlet and the date are named beside the article
                text = _flat(value)
                assert str(s["date"]) in text, (name, s["id"])
                outlet = s["outlet"].split(" (")[0]
                assert outlet in text or outlet.startswith("not named"), (name, s["id"])


def test_the_quoted_excerpts_are_the_held_copies_exact_words(root):
    shared = next((p for p in (root.parent / "shared", root / "shared") if p.is_dir()), None)
    if shared is None:
        pytest.skip("the shared reference folder is not beside this checkout")
    for s in _sources(root):
        copy = _flat((shared / s["held_as"]).read_text(encoding="utf-8"))
        for excerpt in s["excerpts"]:
            assert _flat(excerpt) in copy, (s["id"], excerpt[:60])


def test_the_quoted_strings_are_checked_at_all(root):
    """The check above would pass vacuously if no quotation were found."""
    count = sum(
        len(_quotes(v))
        for p in _files(root)
        for v, _ in _items(yaml.safe_load(p.read_text("utf-8")))
    )
    assert count >= 20


def test_victory_day_skip_is_encoded_as_the_weaker_draw_it_states(root):
    """'multilateral occasions are a weaker draw for him than bilateral ones': its range lies
    at or below the bilateral treaty anniversary's, and reaches below no effect (he skipped)."""
    for path in (
        root / "scenarios/june-anniversary.yaml",
        root / "scenarios/backtest/indicators.yaml",
    ):
        ind = {i["id"]: i for i in yaml.safe_load(path.read_text("utf-8"))["indicators"]}
        low, high = ind["victory_day_skip"]["multiplier"]
        assert low < 1 and high <= ind["treaty_anniversary"]["multiplier"][0], path.name
