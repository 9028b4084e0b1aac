"""Outputs: forecast.json, the posterior netCDF file, their stamps, and the terminal summary.

Every file of a run carries the same :func:`stamp`, whose ``run_id`` (:func:`run_identity`) is a
content hash of the posterior draws, the sampler settings and the seed; forecast.json also
records the SHA-256 of posterior.nc's bytes (:func:`posterior_bytes`). The files are written
into a :class:`~forecast.io.staging.StagedDir` by :func:`write_outputs`, so a run directory is
replaced whole or not at all.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from forecast import __version__
from forecast.design.prepare import ModelData
from forecast.effects import effects
from forecast.io.document import FORECAST_SCHEMA, ForecastDocument, as_document
from forecast.io.safe_read import sha256_bytes
from forecast.io.signals_part import (
    announced_line,
    announced_summary,
    framed_summary,
    news_line,
    news_summary,
    signal_lines,
    signal_rows,
)
from forecast.io.staging import StagedDir
from forecast.predict import Draws

_SAMPLER_KEYS = ("draws", "tune", "chains", "seed", "target_accept", "backend")


def stamp(scenario_sha256: str, data_sha256: str, run_id: str | None = None) -> dict:
    """The stamp every file of a run carries: version, input hashes and the run identity."""
    out = {"version": __version__, "scenario_sha256": scenario_sha256, "data_sha256": data_sha256}
    if run_id is not None:
        out["run_id"] = run_id
    return out


def run_identity(posterior: xr.Dataset, sampler: dict) -> str:
    """The run identity: SHA-256 of the posterior draws plus the sampler settings and seed.

    Each variable contributes its name, dimensions, dtype, shape and bytes (in name order); the
    settings contribute ``draws``, ``tune``, ``chains``, ``seed``, ``target_accept`` and
    ``backend`` as JSON. Two runs of one scenario with a different seed, draw count or sampler
    get different identities; the same draws read back from posterior.nc give the same one.

    Parameters
    ----------
    posterior
        The posterior group (``chain``, ``draw``, ...).
    sampler
        The sampler settings recorded in forecast.json.

    Returns
    -------
    str
        64 lowercase hex digits.
    """
    digest = hashlib.sha256()
    settings = {k: sampler.get(k) for k in _SAMPLER_KEYS}
    digest.update(json.dumps(settings, sort_keys=True).encode())
    for name in sorted(str(v) for v in posterior.data_vars):
        values = np.ascontiguousarray(posterior[name].values)
        head = [name, list(posterior[name].dims), values.dtype.str, list(values.shape)]
        digest.update(json.dumps(head).encode())
        digest.update(values.tobytes())
    return digest.hexdigest()


def posterior_bytes(idata: xr.DataTree, the_stamp: dict, scenario: str) -> bytes:
    """posterior.nc's bytes: the trace as netCDF-4 (h5netcdf), every group stamped.

    Serialised in memory, so a full disk is an ordinary write error of
    :func:`~forecast.io.safe_write.write_bytes` rather than a failure inside HDF5.
    """
    stamped = idata.copy()
    stamped.attrs.update({f"summit_forecast_{k}": v for k, v in the_stamp.items()})
    stamped.attrs["summit_forecast_scenario"] = scenario
    for group in stamped.children:
        stamped[group].attrs.update(stamped.attrs)
    return bytes(stamped.to_netcdf(engine="h5netcdf"))


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
    posterior_sha256: str | None = None,
) -> ForecastDocument:
    """The typed forecast.json, checked against the typed document (a failure is a bug).

    Built as plain data and validated through :class:`~forecast.io.document.ForecastDocument`,
    so the file written and the one :func:`~forecast.io.document.read_document` accepts are
    the same contract.
    """
    sc = data.scenario
    rec = data.record
    draws = Draws.from_dataset(idata["posterior"].to_dataset())
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
                **(
                    {
                        "paths": [
                            {
                                "label": p.label,
                                "weight": p.weight,
                                "ceasefire_start": p.ceasefire_start,
                            }
                            for p in data.paths
                        ]
                    }
                    if sc.ceasefire.assumption == "uncertain"
                    else {}
                ),
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
            "posterior_sha256": posterior_sha256,
            "signals": signal_rows(data, draws),
            "announced": announced_summary(data, draws),
            "framed": framed_summary(data, draws),
            "news_to_come": news_summary(data, draws),
        }
    )
    return ForecastDocument.from_dict(document)


@dataclass
class RunFiles:
    """What a fit gives the run's files: the typed document, posterior.nc's bytes (with the
    ``forecast`` group of per-draw quantities), the flattened draws (for the report) and
    ``horizon``, the mixed survival (D, T+1) and the venue density summed over the whole
    horizon (D, J) of :func:`forecast.predict.mixture_sums`, which the report's influence
    estimates reuse."""

    document: ForecastDocument
    posterior_nc: bytes
    draws: Draws
    horizon: tuple[np.ndarray, np.ndarray] | None = None


def run_outputs(
    data: ModelData,
    idata: xr.DataTree,
    diagnostics: dict,
    sampler: dict,
    warnings: list[str],
    scenario_sha256: str,
    data_sha256: str,
) -> RunFiles:
    """Everything a fit gives the run's files, from one code path (``forecast run`` and the
    test suite's prior-draw runs alike): the forecast with the hazard's decomposition, the
    run identity in the stamp, posterior.nc's bytes with the per-draw quantities, and the
    document recording their hash."""
    from forecast.decompose import decompose
    from forecast.decompose import summary as decomposition_summary
    from forecast.per_draw import quantities
    from forecast.predict import forecast, forecast_spans, mixture_sums

    posterior = idata["posterior"].to_dataset()
    draws = Draws.from_dataset(posterior)
    surv, vsums = mixture_sums(data, draws, forecast_spans(data))
    body = forecast(data, draws, (surv, vsums))
    dec = decompose(data, draws)
    body["decomposition"] = decomposition_summary(dec)
    tree = idata.copy()
    tree["forecast"] = xr.DataTree(
        quantities(data, surv, vsums[:, -1, :], dec, chains=posterior.sizes["chain"])
    )
    the_stamp = stamp(scenario_sha256, data_sha256, run_identity(posterior, sampler))
    nc = posterior_bytes(tree, the_stamp, data.scenario.name)
    document = forecast_document(
        data,
        body,
        idata,
        diagnostics,
        sampler,
        warnings,
        the_stamp,
        posterior_sha256=sha256_bytes(nc),
    )
    return RunFiles(document, nc, draws, (surv, vsums[:, -1, :]))


def write_outputs(
    staged: StagedDir,
    document: ForecastDocument | dict,
    posterior_nc: bytes,
    scenario_bytes: bytes,
) -> dict:
    """Write forecast.json, posterior.nc, the scenario's bytes and the CSV tables into
    ``staged``.

    Parameters
    ----------
    staged
        The run's staging directory (entered, not yet committed).
    document
        The forecast document, whose ``posterior_sha256`` is that of ``posterior_nc``.
    posterior_nc
        :func:`posterior_bytes` of the trace.
    scenario_bytes
        The scenario file exactly as it was read, hashed and parsed (CRLF stays CRLF).

    Returns
    -------
    dict
        The paths the files will have once the directory is committed.
    """
    from forecast.io.exports import export_texts

    document = as_document(document)
    if document.posterior_sha256 != sha256_bytes(posterior_nc):
        raise ValueError("the document does not record the hash of this posterior.nc")
    staged.write_text("forecast.json", document.to_json())
    staged.write_bytes("posterior.nc", posterior_nc)
    staged.write_bytes("scenario.yaml", scenario_bytes)
    out = staged.target
    paths = {
        "forecast": out / "forecast.json",
        "posterior": out / "posterior.nc",
        "scenario": out / "scenario.yaml",
    }
    for name, text in export_texts(document).items():
        staged.write_text(name, text)
        paths[name.removesuffix(".csv")] = out / name
    return paths


def load_posterior(source: str | Path | bytes, expect: dict | None = None) -> xr.DataTree:
    """Open a saved posterior (a path, or posterior.nc's bytes); refuse it if its stamp does
    not match ``expect`` (a :class:`ValueError` naming the key)."""
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    tree = xr.open_datatree(handle, engine="h5netcdf").load()
    if expect:
        for key, value in expect.items():
            found = tree.attrs.get(f"summit_forecast_{key}")
            if found != value:
                raise ValueError(f"stamp {key} is {found!r}, expected {value!r}")
    return tree


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.0f}%"


def summary_text(document: ForecastDocument | dict, paths: dict | None = None) -> str:
    """The readable terminal summary of a forecast document."""
    doc = as_document(document)
    end = doc.headline.by_horizon_end
    labels = doc.venue_labels
    cf = doc.ceasefire
    war = "" if cf is None else f"; {cf.describe()}"
    lines = [
        f"Scenario {doc.scenario} (as of {doc.as_of}, horizon to {doc.horizon_end}{war})",
        f"  {doc.question}",
        "",
        f"P(next {doc.pair} summit by {doc.horizon_end}): {_pct(end.p)} "
        f"(80% interval {_pct(end.lo)}–{_pct(end.hi)})",
        "median date of the next summit: "
        + (str(doc.median_date) if doc.median_date else f"after {doc.horizon_end}"),
        "",
        "Windows (probability the next summit falls inside):",
    ]
    width = max(len(w.name) for w in doc.windows)
    for w in doc.windows:
        top = max(w.venues, key=lambda v: v.p)
        lines.append(
            f"  {w.name:<{width}}  {_pct(w.p):>4} ({_pct(w.lo)}–{_pct(w.hi)})"
            f"   likeliest venue: {labels[top.venue]} {_pct(top.p)}"
        )
    lines += ["", "Venue of the next summit, if it happens within the horizon:"]
    for v in sorted(doc.venues, key=lambda v: -v.p):
        lines.append(f"  {labels[v.venue]:<20} {_pct(v.p):>4} ({_pct(v.lo)}–{_pct(v.hi)})")
    lines += signal_lines(doc)
    lines += announced_line(doc)
    lines += news_line(doc)
    d = doc.diagnostics
    lines += [
        "",
        "Diagnostics: R-hat max "
        + ("n/a" if d.rhat_max is None else f"{d.rhat_max:.3f}")
        + f", bulk ESS min {d.ess_bulk_min:.0f}, "
        f"divergences {d.divergences}, sampler {d.sampling_seconds:.1f} s incl. compile "
        f"({d.chains} chains x {d.draws} draws)",
    ]
    if d.problems:
        lines.append("  SAMPLING PROBLEMS: " + "; ".join(d.problems))
    lines += [f"Assumption: {a}" for a in doc.assumptions]
    lines += [f"Warning: {w}" for w in doc.warnings]
    if paths:
        lines += ["", "Wrote " + ", ".join(str(p) for p in paths.values())]
    return "\n".join(lines)
