"""The horizon's paths: the scenario's assumption about the war, as weighted alternatives.

A point assumption (``war_continues``, ``ceasefire`` from a date) is one path of weight 1. An
``uncertain`` one becomes several (:func:`horizon_assumptions`):

* ``alternatives``: one path per named alternative, with its weight;
* ``by_date`` with ``shape: step``: a ceasefire from each stated date, weighted by the increase
  of the stated probability on that date, plus "the war continues throughout" for the rest;
* ``by_date`` with ``shape: linear`` (the default): the probability rises linearly from 0 on
  ``as_of`` through the stated points and stays at the last one after it. The rise is cut into
  calendar months (merged into at most :data:`MAX_SEGMENTS` runs of months on long horizons);
  each run becomes a ceasefire from its middle day, weighted by the probability of a start
  inside it, plus "the war continues throughout".

A ceasefire that starts in the middle of a month instead of on the exact day shifts the war's
and ceasefire's effects by at most about two weeks; docs/model.md §14.1 says why that is small
next to what the record can tell about those effects.
"""

from __future__ import annotations

from datetime import date, timedelta

from forecast.config.scenario import Scenario
from forecast.domain.dyad import Dyad

MAX_SEGMENTS = 12  # runs of months of a linear rise: each is a path the forecast evaluates
WAR = "war continues"


def horizon_assumptions(
    scenario: Scenario, dyad: Dyad | None = None
) -> list[tuple[float, str, date | None]]:
    """The horizon's paths as ``(weight, label, ceasefire start)``, weights summing to 1.

    ``dyad`` (when given) words the single path of a pair without a war or ceasefire term.
    """
    cf = scenario.ceasefire
    if dyad is not None and "ceasefire" not in dyad.timing_terms and "war" not in dyad.timing_terms:
        return [(1.0, "the horizon as stated", None)]
    if cf.assumption == "ceasefire":
        return [(1.0, f"ceasefire from {cf.start}", cf.start)]
    if cf.assumption == "war_continues":
        return [(1.0, WAR, None)]
    if cf.alternatives is not None:
        return [(a.weight, a.label, a.start) for a in cf.alternatives]
    points = [(p.date, p.probability) for p in cf.by_date]
    if cf.shape == "step":
        out, before = [], 0.0
        for day, prob in points:
            if prob > before:
                out.append((prob - before, f"ceasefire from {day}", day))
            before = prob
    else:
        out = _linear(scenario.as_of, points)
    rest = 1.0 - sum(w for w, _, _ in out)
    if rest > 1e-12:
        out.append((rest, f"{WAR} throughout", None))
    return out


def cdf(as_of: date, points: list[tuple[date, float]], day: date) -> float:
    """The linear shape's P(ceasefire started by ``day``): 0 on ``as_of``, through ``points``."""
    prev_day, prev_p = as_of, 0.0
    for d, p in points:
        if day <= d:
            span = (d - prev_day).days
            return prev_p + (p - prev_p) * (day - prev_day).days / span
        prev_day, prev_p = d, p
    return prev_p


def _linear(as_of: date, points: list[tuple[date, float]]) -> list[tuple[float, str, date]]:
    last = points[-1][0]
    months: list[tuple[date, date]] = []
    day = as_of + timedelta(days=1)
    while day <= last:
        nxt = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        months.append((day, min(nxt - timedelta(days=1), last)))
        day = nxt
    size = -(-len(months) // MAX_SEGMENTS)  # months per run
    runs = [
        (months[i][0], months[min(i + size, len(months)) - 1][1])
        for i in range(0, len(months), size)
    ]
    out = []
    for lo, hi in runs:
        mass = cdf(as_of, points, hi) - cdf(as_of, points, lo - timedelta(days=1))
        if mass > 1e-12:
            mid = lo + (hi - lo) // 2
            out.append((mass, f"ceasefire from {mid} (a start in {lo} .. {hi})", mid))
    return out
