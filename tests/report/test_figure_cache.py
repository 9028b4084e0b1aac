"""The figure cache: an unchanged report reads its figures (the same PDF to the byte), the key
changes with anything a figure shows, a damaged entry is drawn again, and ``cache=False``
always draws."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

import forecast.report.figures as figures_mod
from forecast.report.figure_cache import FigureCache, figures_key
from forecast.report.render import render_pdf

WHEN = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


def _refuse(*args, **kwargs):
    raise AssertionError("the figures were drawn")


def test_an_unchanged_report_reads_its_figures_and_gives_the_same_pdf(saved_tiny_run, monkeypatch):
    document, data, draws = saved_tiny_run
    first = render_pdf(document, data, draws, generated=WHEN)
    assert b"/CreationDate(D:20261202120000Z)" in first  # the generation time, not "now"
    assert list(FigureCache().root.glob("*.json"))
    monkeypatch.setattr(figures_mod, "figures", _refuse)
    assert render_pdf(document, data, draws, generated=WHEN) == first
    with pytest.raises(AssertionError, match="drawn"):  # cache=False draws whatever is stored
        render_pdf(document, data, draws, generated=WHEN, cache=False)


@pytest.mark.parametrize("damage", ["flip", "truncate", "other-key", "not-json"])
def test_a_damaged_entry_is_missing_and_removed(tmp_path, damage):
    import hashlib
    import json

    store = FigureCache(tmp_path)
    store.save("k" * 64, {"cumulative.svg": "<svg/>"})
    assert store.load("k" * 64) == {"cumulative.svg": "<svg/>"}
    path = store.path("k" * 64)
    raw = bytearray(path.read_bytes())
    if damage == "flip":
        raw[-3] ^= 0x20
    elif damage == "truncate":
        raw = raw[:20]
    else:  # intact digest, wrong content
        body = (
            json.dumps({"key": "j" * 64, "figures": {}}).encode()
            if damage == "other-key"
            else b"{not json"
        )
        raw = bytearray(hashlib.sha256(body).digest() + body)
    path.write_bytes(bytes(raw))
    assert store.load("k" * 64) is None and not path.exists()


def test_the_key_changes_with_what_the_figures_show(saved_tiny_run):
    document, _, _ = saved_tiny_run
    draws = np.linspace(0.5, 3.0, 40)
    content = {"indicators": [{"effect": "war", "draws": draws}], "drivers": {"words": {"a": "b"}}}
    occasions = [("EEF", "2025-09-03", "2025-09-06")]
    base = figures_key(document, content, occasions)
    assert base == figures_key(document, {**content}, list(occasions))
    moved = draws.copy()
    moved[7] += 1e-9
    others = [
        figures_key(
            document, {**content, "indicators": [{"effect": "war", "draws": moved}]}, occasions
        ),
        figures_key(
            document, {**content, "indicators": [{"effect": "peace", "draws": draws}]}, occasions
        ),
        figures_key(document, {**content, "drivers": {"words": {"a": "c"}}}, occasions),
        figures_key(document, content, [("EEF", "2025-09-03", "2025-09-07")]),
        figures_key(document.model_copy(update={"scenario": "other"}), content, occasions),
    ]
    assert len({base, *others}) == len(others) + 1
