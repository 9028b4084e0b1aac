"""The sensitivity result's files: ``sensitivity.json``, ``sensitivity.csv``, ``tornado.svg``,
and the terminal summary."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from forecast import __version__
from forecast.design.prepare import ModelData
from forecast.io.sanitize import csv_cell
from forecast.sensitivity import SCHEMA, Sensitivity

FILES = ("sensitivity.json", "sensitivity.csv", "tornado.svg")


def document(result: Sensitivity, data: ModelData, stamp: dict) -> dict:
    """sensitivity.json: the reference, every effect's swing (largest first), the cost."""
    acting = {e.effect.name: not e.effect.inert(data) for e in result.swings}
    return {
        "schema": SCHEMA,
        "scenario": data.scenario.name,
        "as_of": data.scenario.as_of.isoformat(),
        "horizon_end": data.scenario.horizon_end.isoformat(),
        "stamp": {"version": __version__, **stamp},
        "settings": result.settings,
        "reference": result.reference,
        "reference_mcse": result.reference_mcse,
        "fits": result.fits,
        "seconds": round(result.seconds, 2),
        "compile_seconds": round(result.compile_seconds, 2),
        "fits_per_second": round(result.fits_per_second, 3),
        "rows": [
            {
                "effect": s.effect.name,
                "group": s.effect.group,
                "label": s.effect.prior.label,
                "origin": s.effect.prior.origin,
                "range": [s.effect.prior.low, s.effect.prior.high],
                "p_low": s.p_low,
                "p_high": s.p_high,
                "swing": s.p_high - s.p_low,
                "can_move_headline": s.effect.group == "timing" and acting[s.effect.name],
            }
            for s in result.ranked()
        ],
    }


def csv_text(doc: dict) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(
        [
            "effect",
            "group",
            "origin",
            "low",
            "high",
            "p_low",
            "p_high",
            "swing",
            "reference",
            "can_move_headline",
        ]
    )
    for r in doc["rows"]:
        writer.writerow(
            [
                csv_cell(r["effect"]),
                r["group"],
                r["origin"],
                repr(r["range"][0]),
                repr(r["range"][1]),
                repr(r["p_low"]),
                repr(r["p_high"]),
                repr(r["swing"]),
                repr(doc["reference"]),
                str(r["can_move_headline"]).lower(),
            ]
        )
    return buffer.getvalue()


def summary_text(doc: dict) -> str:
    """The terminal table: every effect's swing, largest first, and the throughput."""
    ref, mcse = doc["reference"], doc["reference_mcse"]
    lines = [
        f"Sensitivity of {doc['scenario']}: P(next summit by {doc['horizon_end']}) = "
        f"{100 * ref:.1f}% (Monte Carlo standard error {100 * mcse:.1f} points; swings within "
        f"about ±{200 * mcse:.1f} points are noise)",
        "Each prior moved to the low / high end of its range (same seed, same settings):",
    ]
    width = max(len(r["effect"]) for r in doc["rows"])
    for r in doc["rows"]:
        note = "" if r["can_move_headline"] else "   (cannot move the headline: noise)"
        lines.append(
            f"  {r['effect']:<{width}}  {100 * r['p_low']:5.1f}% … {100 * r['p_high']:5.1f}%  "
            f"(range {r['range'][0]:g}–{r['range'][1]:g}){note}"
        )
    lines.append(
        f"{doc['fits']} fits in {doc['seconds']:.1f} s after a {doc['compile_seconds']:.1f} s "
        f"compile: {doc['fits_per_second']:.2f} fits per second"
    )
    return "\n".join(lines)


def write(doc: dict, out: str | Path) -> dict[str, Path]:
    """Write the three files into ``out`` as one unit: staged beside it and swapped in when all
    are written (:class:`~forecast.io.staging.StagedDir`), so a failure or an interrupt leaves
    the previous files as they were."""
    from forecast.io.staging import StagedDir
    from forecast.plots.sensitivity import plot_tornado
    from forecast.report.figures import svg

    out = Path(out)
    texts = {
        "sensitivity.json": json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
        "sensitivity.csv": csv_text(doc),
        "tornado.svg": svg(plot_tornado(doc)),
    }
    with StagedDir(out, names=FILES) as staged:
        for name, text in texts.items():
            staged.write_text(name, text)
        staged.commit()
    return {name: out / name for name in texts}


def default_dir(run_or_reports: Path, scenario: str) -> Path:
    """Where ``sensitivity`` writes by default and the report looks: beside the run directory,
    ``<parent>/<scenario>-sensitivity/``."""
    return run_or_reports / f"{scenario}-sensitivity"
