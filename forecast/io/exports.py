"""The forecast's tables as CSV files beside ``forecast.json`` (docs/forecast-json.md §4).

Every run writes four, read off the typed document so they hold exactly its numbers:

* ``by_date.csv``: ``date, p, lo, hi`` (P(next summit on or before the date));
* ``by_month.csv``: ``month, p, lo, hi``;
* ``windows.csv``: ``name, start, end, p, lo, hi, p_none_before`` and, for each venue class,
  ``<venue>_p`` (the venue mix of a summit inside the window);
* ``venues.csv``: ``venue, label, p, lo, hi`` (the venue of the next summit within the horizon).

``p`` is the posterior mean, ``lo``/``hi`` the 80% interval. Text cells are escaped so that a
spreadsheet never runs one as a formula (:func:`forecast.io.sanitize.csv_cell`); numbers are
written with ``repr`` precision.
"""

from __future__ import annotations

import csv
import io

from forecast.io.document import ForecastDocument
from forecast.io.sanitize import csv_cell

TABLES = ("by_date.csv", "by_month.csv", "windows.csv", "venues.csv")


def tables(doc: ForecastDocument) -> dict[str, list[list]]:
    """Each table as rows (the header first), keyed by file name."""
    venues = list(doc.venue_labels)
    return {
        "by_date.csv": [["date", "p", "lo", "hi"]]
        + [[r.date.isoformat(), r.p, r.lo, r.hi] for r in doc.by_date],
        "by_month.csv": [["month", "p", "lo", "hi"]]
        + [[r.month, r.p, r.lo, r.hi] for r in doc.by_month],
        "windows.csv": [
            ["name", "start", "end", "p", "lo", "hi", "p_none_before"] + [f"{v}_p" for v in venues]
        ]
        + [
            [w.name, w.start.isoformat(), w.end.isoformat(), w.p, w.lo, w.hi, w.p_none_before]
            + [{s.venue: s.p for s in w.venues}[v] for v in venues]
            for w in doc.windows
        ],
        "venues.csv": [["venue", "label", "p", "lo", "hi"]]
        + [[v.venue, doc.venue_labels[v.venue], v.p, v.lo, v.hi] for v in doc.venues],
    }


def csv_text(rows: list[list]) -> str:
    """Rows as CSV text (``\\n`` line ends), every text cell escaped."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([repr(c) if isinstance(c, float) else csv_cell(c) for c in row])
    return buffer.getvalue()


def export_texts(doc: ForecastDocument) -> dict[str, str]:
    """The CSV files' text, keyed by file name (:data:`TABLES`)."""
    return {name: csv_text(rows) for name, rows in tables(doc).items()}
