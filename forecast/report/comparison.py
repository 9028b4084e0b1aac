"""A comparison's outputs: the terminal table, ``comparison.json``, ``comparison.csv`` and
``comparison.pdf``, and the single-run report's "Compared with" section.

Numbers are printed with :mod:`forecast.report.formats` (whole percentages; differences in
percentage points with their 80% interval). ``comparison.csv`` is long: one line per quantity
and item, with that item's difference against the first.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from forecast.analysis.compare import Comparison
from forecast.io.sanitize import csv_cell
from forecast.plots.compare import letter
from forecast.report.formats import day, interval, pct

FILES = ("comparison.json", "comparison.csv", "comparison.pdf")


def _points(x: float) -> str:
    v = round(100 * x)
    return "0" if v == 0 else f"{'+' if v > 0 else '−'}{abs(v)}"


def difference_text(d: dict | None) -> str:
    """ "−15 pts (−22 to −9)", or "n/a"."""
    if d is None:
        return "n/a"
    unit = "pt" if abs(round(100 * d["p"])) == 1 else "pts"
    return f"{_points(d['p'])} {unit} ({_points(d['lo'])} to {_points(d['hi'])})"


def value_text(v: dict | None) -> str:
    """ "42% (19–69%)", or "n/a"."""
    return "n/a" if v is None else f"{pct(v['p'])} ({interval(v['lo'], v['hi'])})"


def _methods(doc: dict) -> list[str]:
    items = doc["items"]
    out = []
    for i, it in enumerate(items[1:], start=1):
        how = (
            "shared posterior draws (same data, priors and sampler settings), paired draw by draw"
            if it["difference_method"] == "shared draws"
            else "independent posterior draws (different data, priors or settings)"
        )
        out.append(f"{letter(i)} − A: {how}")
    return out


def table_rows(doc: dict) -> tuple[list[str], list[list[str]]]:
    """The table as text: the header and one row per quantity (values, then differences)."""
    items = doc["items"]
    header = ["", *[letter(i) for i in range(len(items))]]
    header += [f"{letter(i)} − A" for i in range(1, len(items))]
    rows = []
    for r in doc["rows"]:
        rows.append(
            [r["label"], *map(value_text, r["values"]), *map(difference_text, r["differences"][1:])]
        )
    medians = [day(it["median_date"]) if it["median_date"] else "beyond" for it in items]
    rows.append(["median date of the next summit", *medians] + [""] * (len(items) - 1))
    return header, rows


def summary_text(comparison: Comparison) -> str:
    """The terminal table with the items, the difference methods and every row."""
    doc = comparison.to_dict()
    lines = ["Compared (differences against A):"]
    for i, it in enumerate(doc["items"]):
        lines.append(f"  {letter(i)}  {it['name']}  ({it['source']}; as of {it['as_of']})")
    lines += [f"  {m}" for m in _methods(doc)]
    lines.append("  Values: posterior mean (80% interval); differences in percentage points.")
    header, rows = table_rows(doc)
    widths = [max(len(str(row[c])) for row in [header, *rows]) for c in range(len(header))]
    lines.append("")
    for row in [header, *rows]:
        cells = [str(row[0]).ljust(widths[0])] + [
            str(x).rjust(w) for x, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def csv_text(comparison: Comparison) -> str:
    """comparison.csv: quantity, kind, key, item, p, lo, hi, and the difference against A."""
    doc = comparison.to_dict()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "quantity",
            "kind",
            "key",
            "item",
            "name",
            "p",
            "lo",
            "hi",
            "diff_p",
            "diff_lo",
            "diff_hi",
            "diff_method",
        ]
    )
    for r in doc["rows"]:
        for i, (v, d) in enumerate(zip(r["values"], r["differences"], strict=True)):
            method = doc["items"][i]["difference_method"] or ""
            nums = [None] * 3 if v is None else [v["p"], v["lo"], v["hi"]]
            diffs = [None] * 3 if d is None else [d["p"], d["lo"], d["hi"]]
            writer.writerow(
                [
                    csv_cell(r["label"]),
                    r["kind"],
                    csv_cell(r["key"]),
                    letter(i),
                    csv_cell(doc["items"][i]["name"]),
                ]
                + ["" if x is None else repr(x) for x in nums + diffs]
                + [method]
            )
    return buffer.getvalue()


def pdf_bytes(comparison: Comparison, generated: str) -> bytes:
    """comparison.pdf: the items, how differences were taken, the table and two figures."""
    from forecast import __version__
    from forecast.plots.compare import plot_compare_curves, plot_compare_venues
    from forecast.report.figures import svg
    from forecast.report.render import compile_pdf

    doc = comparison.to_dict()
    header, rows = table_rows(doc)
    content = {
        "title": "Scenarios compared",
        "items": [
            [letter(i), it["name"], it["source"], day(it["as_of"]), day(it["horizon_end"])]
            for i, it in enumerate(doc["items"])
        ],
        "methods": _methods(doc),
        "header": header,
        "rows": rows,
        "footer": {"version": __version__, "generated": generated},
    }
    svgs = {
        "curves.svg": svg(plot_compare_curves(comparison)),
        "venues.svg": svg(plot_compare_venues(comparison)),
    }
    return compile_pdf(content, svgs, template="comparison.typ")


def write(comparison: Comparison, out: str | Path, generated: str) -> dict[str, Path]:
    """Write the three files into ``out`` as one unit (staged beside it and swapped in when all
    are written, :class:`~forecast.io.staging.StagedDir`); return their paths."""
    from forecast.io.staging import StagedDir

    out = Path(out)
    pdf = pdf_bytes(comparison, generated)
    with StagedDir(out, names=FILES) as staged:
        staged.write_text(
            "comparison.json", json.dumps(comparison.to_dict(), indent=2, ensure_ascii=False) + "\n"
        )
        staged.write_text("comparison.csv", csv_text(comparison))
        staged.write_bytes("comparison.pdf", pdf)
        staged.commit()
    return {name: out / name for name in FILES}


def compared_section(comparison: Comparison) -> dict:
    """The single-run report's "Compared with" section, from a comparison whose first item is
    the compared (earlier) run and whose second is this run: changes are this minus that."""
    doc = comparison.to_dict()
    _, rows = table_rows(doc)
    other = doc["items"][0]
    shared = doc["items"][1]["difference_method"] == "shared draws"
    return {
        "other": f"{other['name']} (as of {day(other['as_of'])}, {other['source']})",
        "method": (
            "The two runs share their posterior draws, so the change is paired draw by draw"
            if shared
            else "The two runs were fitted separately, so the change's interval is that of the "
            "difference of two independent estimates"
        ),
        "header": ["", "compared run", "this run", "change"],
        "rows": [[r[0], r[1], r[2], r[3]] for r in rows[:-1]]
        + [[rows[-1][0], rows[-1][1], rows[-1][2], ""]],
        "headline_change": difference_text(doc["rows"][0]["differences"][1]),
    }
