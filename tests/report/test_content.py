"""report.content: what the report says, worked out from forecast.json before any rendering."""

from __future__ import annotations

import json

from forecast.report.content import bluf


def test_median_date_wording(tiny_run_dir):
    doc = json.loads((tiny_run_dir / "forecast.json").read_text(encoding="utf-8"))
    doc.update(median_date=None)
    assert bluf(doc, "icd203")["median"] == (
        "after 31 Dec 2025 (the probability of a summit by then stays below 50%)"
    )
    doc.update(median_date="2025-09-03", date_quantiles={"q10": "2025-06-16", "q90": None})
    assert bluf(doc, "icd203")["median"] == "3 Sep 2025 (a 10% chance of a summit by 16 Jun 2025)"
