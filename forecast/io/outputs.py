"""Outputs: forecast.json, the posterior netCDF file, their stamps, and the terminal summary."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import xarray as xr

from forecast import __version__
from forecast.design.prepare import ModelData
from forecast.effects import effects
from forecast.io.document import FORECAST_SCHEMA, ForecastDocument
from forecast.io.signals_part import signal_lines, signal_rows
from forecast.predict import Draws


def stamp(scenario_sha256: str, data_sha256: str) -> dict:
    return {"version": __version__, "scenario_sha256": scenario_sha256, "data_sha256": data_sha256}


def _interval(values: np.ndarray) -> dict:
    lo, hi = np.quantile(values, (0.1, 0.9))
    return {"p50": float(np.median(values)), "lo": float(lo), "hi": float(hi)}


def effects_table(data: ModelData, idata: xr.DataTree) -> list[dict]:
    """Every prior of the model beside its posterior, on the scale the effect was stated on.

    For most effects that is the multiplier of one unit of the term. A venue term stated about
    a scaled contrast (wartime travel: the farthest venue's odds during active war) is
    multiplied back by that scale (:attr:`~forecast.priors.elicit.Prior.scale`).
    """
    post = idata["posterior"]
    rows = []
    for e in effects(data):
        da = post[e.parameter]
        values = (da if e.dim is None else da.sel({e.dim: e.coord})).values.ravel()
        prior = e.prior
        rows.append(
            {
                "group": e.group,
                "name": e.name,
                "label": prior.label,
                "origin": prior.origin,
                "stated_by": prior.stated_by,
                "source": prior.source,
                "stated_range": [prior.low, prior.high],
                "confidence": prior.confidence,
                "prior_log_mu": prior.mu * prior.scale,
                "prior_log_sigma": prior.sigma * prior.scale,
                "posterior_multiplier": _interval(np.exp(values * prior.scale)),
            }
        )
    return rows


def dyad_info(data: ModelData) -> dict:
    """What readers of forecast.json need to name the leaders and venues."""
    dyad = data.dyad
    return {
        "leaders": [x.name for x in dyad.leaders],
        "pair": dyad.pair_short,
        "venue_labels": dyad.venue_labels,
    }


def json_safe(obj):
    """A copy of ``obj`` that JSON can write: NumPy scalars become Python ones, NaN and ±inf
    become null, tuples become lists."""
    if isinstance(obj, np.floating | np.integer | np.bool_):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: json_safe(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [json_safe(v) for v in obj]
    return obj


def forecast_document(
    data: ModelData,
    body: dict,
    idata: xr.DataTree,
    diagnostics: dict,
    sampler: dict,
    warnings: list[str],
    the_stamp: dict,
) -> dict:
    """The body of forecast.json, checked against the typed document (a failure is a bug).

    Built as plain data and validated through :class:`~forecast.io.document.ForecastDocument`,
    so the file written and the one :func:`~forecast.io.document.read_document` accepts are
    the same contract.
    """
    sc = data.scenario
    rec = data.record
    document = json_safe(
        {
            "schema": FORECAST_SCHEMA,
            "scenario": sc.name,
            "question": sc.question,
            "as_of": sc.as_of.isoformat(),
            "horizon_end": sc.horizon_end.isoformat(),
            "dataset": rec.meta.name,
            "dyad": dyad_info(data),
            "ceasefire": {
                "assumption": sc.ceasefire.assumption,
                "start": sc.ceasefire.start.isoformat() if sc.ceasefire.start else None,
            }
            if "ceasefire" in data.dyad.timing_terms
            else None,
            **body,
            "effects": effects_table(data, idata),
            "diagnostics": diagnostics,
            "sampler": sampler,
            "data": {
                "coverage_start": rec.meta.coverage_start.isoformat(),
                "coverage_end": rec.meta.coverage_end.isoformat(),
                "summits_in_fit": int(data.history.events.sum()),
                "venue_summits": len(data.venue_summits),
                "exchanges_known": len(rec.exchanges),
                "segments": len(data.history.exposure),
            },
            "assumptions": data.assumptions,
            "warnings": warnings,
            "stamp": the_stamp,
            "signals": signal_rows(data, Draws.from_dataset(idata["posterior"].to_dataset())),
        }
    )
    return ForecastDocument.from_dict(document).to_dict()


def write_outputs(out_dir: Path, document: dict, idata: xr.DataTree, scenario_text: str) -> dict:
    """Write forecast.json, posterior.nc and a copy of the scenario; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {
        "forecast": out_dir / "forecast.json",
        "posterior": out_dir / "posterior.nc",
        "scenario": out_dir / "scenario.yaml",
    }
    tmp = paths["forecast"].with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(paths["forecast"])
    stamped = idata.copy()
    stamped.attrs.update({f"summit_forecast_{k}": v for k, v in document["stamp"].items()})
    stamped.attrs["summit_forecast_scenario"] = document["scenario"]
    for group in stamped.children:
        stamped[group].attrs.update(stamped.attrs)
    tmp_nc = paths["posterior"].with_suffix(".nc.tmp")
    stamped.to_netcdf(tmp_nc, engine="h5netcdf")
    tmp_nc.replace(paths["posterior"])
    paths["scenario"].write_text(scenario_text, encoding="utf-8")
    return paths


def load_posterior(path: str | Path, expect: dict | None = None) -> xr.DataTree:
    """Open a saved posterior; refuse it if its stamp does not match ``expect``."""
    tree = xr.open_datatree(path, engine="h5netcdf").load()
    if expect:
        for key, value in expect.items():
            found = tree.attrs.get(f"summit_forecast_{key}")
            if found != value:
                raise ValueError(f"{path}: stamp {key} is {found!r}, expected {value!r}")
    return tree


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def summary_text(document: dict, paths: dict | None = None) -> str:
    """The readable terminal summary of a forecast document."""
    h = document["headline"]
    labels = document["dyad"]["venue_labels"]
    cf = document["ceasefire"]
    war = (
        ""
        if cf is None
        else f", war: {cf['assumption']}" + (f" from {cf['start']}" if cf["start"] else "")
    )
    lines = [
        f"Scenario {document['scenario']} (as of {document['as_of']}, "
        f"horizon to {document['horizon_end']}{war})",
        f"  {document['question']}",
        "",
        f"P(next {document['dyad']['pair']} summit by {document['horizon_end']}): "
        f"{_pct(h['by_horizon_end']['p'])} "
        f"(80% interval {_pct(h['by_horizon_end']['lo'])}–{_pct(h['by_horizon_end']['hi'])})",
        "median date of the next summit: "
        + (document["median_date"] or f"after {document['horizon_end']}"),
        "",
        "Windows (probability the next summit falls inside):",
    ]
    width = max(len(w["name"]) for w in document["windows"])
    for w in document["windows"]:
        top = max(w["venues"], key=lambda v: v["p"])
        lines.append(
            f"  {w['name']:<{width}}  {_pct(w['p']):>4} ({_pct(w['lo'])}–{_pct(w['hi'])})"
            f"   likeliest venue: {labels[top['venue']]} {_pct(top['p'])}"
        )
    lines += ["", "Venue of the next summit, if it happens within the horizon:"]
    for v in sorted(document["venues"], key=lambda v: -v["p"]):
        lines.append(
            f"  {labels[v['venue']]:<20} {_pct(v['p']):>4} ({_pct(v['lo'])}–{_pct(v['hi'])})"
        )
    lines += signal_lines(document)
    d = document["diagnostics"]
    lines += [
        "",
        "Diagnostics: R-hat max "
        + ("n/a" if d["rhat_max"] is None else f"{d['rhat_max']:.3f}")
        + f", bulk ESS min {d['ess_bulk_min']:.0f}, "
        f"divergences {d['divergences']}, sampler {d['sampling_seconds']:.1f} s incl. compile "
        f"({d['chains']} chains x {d['draws']} draws)",
    ]
    if d["problems"]:
        lines.append("  SAMPLING PROBLEMS: " + "; ".join(d["problems"]))
    for a in document["assumptions"]:
        lines.append(f"Assumption: {a}")
    for w in document["warnings"]:
        lines.append(f"Warning: {w}")
    if paths:
        lines += ["", "Wrote " + ", ".join(str(p) for p in paths.values())]
    return "\n".join(lines)
