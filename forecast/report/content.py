"""From a finished run to the report's content: plain, JSON-ready data, no layout.

:func:`build` turns the forecast document, the run's
:class:`~forecast.design.prepare.ModelData` and its posterior draws into the dictionary the
Typst template (``template.typ``) lays out, one entry per section
(:mod:`forecast.report.sections`). Every number is formatted there, once
(:mod:`forecast.report.formats`), so the PDF prints exactly what this module returns (and the
tests can compare it with ``forecast.json``). :func:`occasions` lists the calendar's occasions
inside the horizon for the figures. The formatters, :func:`~forecast.report.sections.bluf` and
:func:`~forecast.report.sections.verdict` are importable from here as well.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

from forecast.design.prepare import ModelData
from forecast.io.document import ForecastDocument, as_document
from forecast.predict import Draws
from forecast.report import sections
from forecast.report.estimative import bands
from forecast.report.formats import day
from forecast.report.formats import interval as interval
from forecast.report.formats import multiplier as multiplier
from forecast.report.formats import pct as pct
from forecast.report.formats import points as points
from forecast.report.formats import span as span
from forecast.report.sections import Z80 as Z80
from forecast.report.sections import bluf as bluf
from forecast.report.sections import verdict as verdict
from forecast.report.signals_section import news_and_signals
from forecast.terms.calendar import scheduled_instances

if TYPE_CHECKING:
    import numpy as np


def _short(name: str) -> str:
    """ "DPRK Victory Day (1953 armistice)" -> "DPRK Victory Day"; "EEF, Vladivostok" -> "EEF"."""
    return name.split(",")[0].split(" (")[0]


def occasions(data: ModelData) -> list[tuple[str, str, str]]:
    """Anniversaries and scheduled occasions inside the horizon: ``(label, start, end)``."""
    first = date.fromisoformat(str(data.horizon_dates[0]))
    last = data.scenario.horizon_end
    out = []
    for rec in data.record.recurring:
        for d in rec.dates(first.year, last.year):
            if first <= d <= last:
                out.append((_short(rec.name), d.isoformat(), d.isoformat()))
    for fam in sorted({s.family for s in data.record.scheduled}):
        spans, notes = scheduled_instances(data.record, fam, first, last)
        name = _short(next(s.name for s in data.record.scheduled if s.family == fam))
        for lo, hi in spans:
            if hi >= first and lo <= last:
                assumed = any(str(lo.year) in n for n in notes) and lo > data.scenario.as_of
                label = f"{name} {lo.year}" + (" (assumed)" if assumed else "")
                out.append((label, lo.isoformat(), hi.isoformat()))
    return sorted(out, key=lambda o: o[1])


def build(
    document: ForecastDocument | dict,
    data: ModelData,
    draws: Draws,
    *,
    scale: str = "icd203",
    track: dict | None = None,
    generated: datetime | None = None,
    horizon: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict:
    """The report's content as plain data (figures are drawn separately from the same inputs).

    Parameters
    ----------
    document
        The run's forecast document (typed; a ``forecast.json`` dict is checked first).
    data
        The run's model inputs (``SavedRun.model_data()``).
    draws
        The run's posterior draws.
    scale
        Estimative-language yardstick: ``"icd203"`` (default) or ``"phia"``.
    track
        The "Track record" content from :func:`forecast.report.track.track_record`, or ``None``.
    generated
        Generation time for the footer (default: now, UTC).
    horizon
        The run's mixed survival and whole-horizon venue sums
        (:attr:`forecast.io.outputs.RunFiles.horizon`), reused by the influence estimates
        instead of being computed again; None computes them.

    Returns
    -------
    dict
        JSON-ready content; the ``"indicators"`` entries also carry posterior ``draws`` (a NumPy
        array, for the figures) that :func:`forecast.report.render.render` strips.
    """
    bands(scale)  # raises for an unknown scale
    when = generated or datetime.now(UTC)
    document = as_document(document)
    stamp = document.stamp
    indicators = sections.indicators(document, data, draws, horizon)
    return {
        "title": f"When and where will {data.dyad.pair} next meet?",
        "method": sections.method(document, data),
        "bluf": sections.bluf(document, scale),
        "drivers": sections.drivers(document),
        "alerts": sections.alerts(document),
        "assumptions": list(document.assumptions),
        "windows": sections.windows(document),
        "first_month_partial": day(document.as_of),
        "indicators": indicators,
        "defaults": sections.defaults(document, {i["effect"] for i in indicators}),
        "signals": news_and_signals(document),
        "data": sections.dataset(document, data),
        "diagnostics": sections.diagnostics(document),
        "track": track,
        "footer": {
            "version": stamp.version,
            "scenario_sha256": stamp.scenario_sha256,
            "data_sha256": stamp.data_sha256,
            "run_id": stamp.run_id or "",
            "posterior_sha256": document.posterior_sha256 or "",
            "keyword": f"summit-forecast-run:{stamp.run_id or ''}",
            "generated": when.strftime("%Y-%m-%d %H:%M UTC"),
            # the PDF's own creation date, the same minute (not the moment of compiling)
            "date": [when.year, when.month, when.day, when.hour, when.minute],
        },
    }
