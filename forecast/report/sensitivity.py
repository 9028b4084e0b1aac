"""The report's optional "Sensitivity" section, from ``sensitivity.json`` (``forecast
sensitivity``), when one for this scenario lies beside the run."""

from __future__ import annotations

import json
from pathlib import Path

from forecast.io.document import ForecastDocument
from forecast.report.formats import pct

SCHEMA = "summit-forecast/sensitivity.json/1"


def locate(run_dir: str | Path, doc: ForecastDocument) -> Path | None:
    """``RUN_DIR/../<scenario>-sensitivity/sensitivity.json`` if it was computed from this
    run's scenario file and dataset (its stamp's hashes match), else None."""
    path = Path(run_dir).resolve().parent / f"{doc.scenario}-sensitivity" / "sensitivity.json"
    if not path.is_file():
        return None
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    stamp = found.get("stamp") or {} if isinstance(found, dict) else {}
    same = (
        found.get("schema") == SCHEMA
        and stamp.get("scenario_sha256") == doc.stamp.scenario_sha256
        and stamp.get("data_sha256") == doc.stamp.data_sha256
    )
    return path if same else None


def section(result: dict, doc: ForecastDocument) -> dict:
    """The section's words: the largest swings, the noise level, the settings."""
    rows = [r for r in result["rows"] if r["can_move_headline"]][:3]
    named = "; ".join(f"{r['effect']} {pct(r['p_low'])} to {pct(r['p_high'])}" for r in rows)
    s = result["settings"]
    return {
        "text": (
            f"Each prior was moved to the low and then the high end of its range and the model "
            f"refitted ({result['fits']} fits, {s['chains']} chains × {s['draws']} draws each, "
            f"the same seed, {s['backend']}). Its reference fit gives "
            f"{pct(result['reference'])} (this "
            f"report: {pct(doc.headline.by_horizon_end.p)}); it moves most with: "
            f"{named}. Swings within about ±{200 * result['reference_mcse']:.1f} points "
            "(twice the Monte Carlo standard error, the shaded band) are noise."
        ),
    }
