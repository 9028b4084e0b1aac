"""report.content: what the report says, worked out from forecast.json before any rendering."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from forecast.analysis.influence import Influence, Stated
from forecast.errors import InputError
from forecast.io.document import read_document
from forecast.report import sections
from forecast.report.content import bluf, pct
from forecast.report.sections import influence_text


def test_median_date_wording(tiny_run_dir):
    doc = json.loads((tiny_run_dir / "forecast.json").read_text(encoding="utf-8"))
    doc.update(median_date=None)
    assert bluf(doc, "icd203")["median"] == (
        "after 31 Dec 2025 (the probability of a summit by then stays below 50%)"
    )
    doc.update(median_date="2025-09-03", date_quantiles={"q10": "2025-06-16", "q90": None})
    on = next(p for p in doc["by_date"] if p["date"] == "2025-06-16")["p"]
    assert bluf(doc, "icd203")["median"] == (
        f"3 Sep 2025 (a {pct(on)} chance of a summit by 16 Jun 2025)"
    )


def test_the_chance_sentence_is_read_off_by_date(tiny_run_dir):
    """The bottom line's "(a N% chance of a summit by D)" states the probability on D itself,
    even where the curve jumps past 10% in one day (an occasion)."""
    doc = json.loads((tiny_run_dir / "forecast.json").read_text(encoding="utf-8"))
    k = len(doc["by_date"]) // 3
    point = doc["by_date"][k]
    point.update(p=0.266, lo=min(point["lo"], 0.2), hi=max(point["hi"], 0.3))
    doc.update(
        median_date=doc["by_date"][k + 1]["date"],
        date_quantiles={"q10": point["date"], "q90": None},
    )
    when = date.fromisoformat(point["date"])
    expected = f"a 27% chance of a summit by {when.day} {when:%b %Y}"
    assert bluf(doc, "icd203")["median"].endswith(f"({expected})")
    # The shipped run: the number printed is by_date's at q10, whatever it is.
    real = read_document(tiny_run_dir / "forecast.json")
    at = next(p for p in real.by_date if p.date == real.date_quantiles.q10)
    if real.median_date:
        assert f"a {pct(at.p)} chance of a summit by " in bluf(real, "icd203")["median"]


def test_a_statement_that_cannot_act_reads_no_effect(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    stated = Stated("x", "factor", "ceasefire", "s", "someone", date(2025, 1, 1), "src")
    text = influence_text(Influence(stated, "not computed", acts=False), doc)
    assert len(text) == 1 and text[0].startswith("no effect:")
    moved = influence_text(Influence(stated, "reweighted", by_end=(0.38, 0.37)), doc)
    assert moved == ["P(by 31 Dec 2025) 38% → 37% (−1 pt)"]


def test_typed_and_plain_documents_give_the_same_report_text(tiny_run_dir):
    plain = json.loads((tiny_run_dir / "forecast.json").read_text(encoding="utf-8"))
    typed = read_document(tiny_run_dir / "forecast.json")
    for section in (sections.alerts, sections.windows, sections.diagnostics):
        assert section(typed) == section(plain)
    assert bluf(typed, "phia") == bluf(plain, "phia")
    bad = {**plain, "windows": []}
    with pytest.raises(InputError, match="windows"):
        sections.windows(bad)


def test_the_bottom_line_says_what_drives_the_number(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    out = sections.drivers(doc)
    end = doc.headline.by_horizon_end
    assert out["sentence"].startswith(f"{pct(end.p)} by 31 Dec 2025")
    big = [t for t in doc.decomposition.terms if not 1 / sections.SMALL <= t.multiplier.p50 <= 1.25]
    largest = max(big, key=lambda t: abs(np.log(t.multiplier.p50)), default=None)
    if largest is not None:
        assert "mostly because " + out["words"][largest.name] in out["sentence"]
    rate = doc.decomposition.baseline_per_year.p50
    assert f"a base rate of {rate:.2g} summits a year" in out["sentence"]
    assert "a ceasefire" in out["inert"]  # zero on every day while the war continues
    assert sections.drivers({**doc.to_dict(), "decomposition": None}) is None
