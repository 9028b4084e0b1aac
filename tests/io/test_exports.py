"""io.exports: the CSV tables beside forecast.json hold exactly its numbers."""

from __future__ import annotations

import csv

import pytest

from forecast.io.document import read_document
from forecast.io.exports import TABLES, csv_text, export_texts


def _rows(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_every_run_writes_the_four_tables_with_the_documents_numbers(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    for name in TABLES:
        assert (tiny_run_dir / name).is_file()
    by_date = _rows(tiny_run_dir / "by_date.csv")
    assert len(by_date) == len(doc.by_date)
    assert [float(r["p"]) for r in by_date] == [p.p for p in doc.by_date]
    assert by_date[-1]["date"] == doc.horizon_end.isoformat()
    windows = _rows(tiny_run_dir / "windows.csv")
    assert [r["name"] for r in windows] == [w.name for w in doc.windows]
    first = doc.windows[0]
    assert float(windows[0]["p"]) == first.p and windows[0]["start"] == first.start.isoformat()
    for share in first.venues:
        assert float(windows[0][f"{share.venue}_p"]) == share.p
    venues = _rows(tiny_run_dir / "venues.csv")
    assert {r["venue"]: float(r["p"]) for r in venues} == {v.venue: v.p for v in doc.venues}
    assert {r["label"] for r in venues} == set(doc.venue_labels.values())
    months = _rows(tiny_run_dir / "by_month.csv")
    assert [r["month"] for r in months] == [m.month for m in doc.by_month]
    assert export_texts(doc)["by_date.csv"] == (tiny_run_dir / "by_date.csv").read_text("utf-8")


@pytest.mark.parametrize("bad", ['=HYPERLINK("http://x")', "+1+1", "@SUM(A1)", "-2+3"])
def test_text_cells_cannot_run_as_formulas(bad):
    text = csv_text([["name", "p"], [bad, 0.25]])
    cell = next(csv.reader(text.splitlines()[1:]))[0]
    assert cell == "'" + bad
    assert text.splitlines()[1].endswith(",0.25")
