"""Everything the model and the forecast need, assembled once from a scenario and the dataset.

The history is one covariate path cut into segments; the horizon is an *ensemble* of weighted
paths (:class:`HorizonPath`), one per assumption the scenario leaves open
(:func:`forecast.design.assumptions.horizon_assumptions`): a point assumption is an ensemble of
one, an uncertain one several; :mod:`forecast.predict` mixes survival and venue over the paths
per posterior draw, so every consumer reads the mixed result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from forecast.config.scenario import Scenario
from forecast.design.announced import Announced, framed_prior, kept_prior
from forecast.design.assumptions import horizon_assumptions
from forecast.design.inputs import record_for, resolve_windows
from forecast.design.news import NewsToCome, news_to_come
from forecast.design.paths import Segments, daily_path, segments, venue_attributes
from forecast.domain.dyad import Dyad
from forecast.domain.record import Dataset, Summit
from forecast.priors.elicit import Prior, baseline_prior
from forecast.terms import (
    Context,
    TimingTerm,
    VenueTerm,
    timing_terms,
    venue_odds,
    venue_terms,
)


@dataclass(frozen=True)
class HorizonPath:
    """One possible course of the horizon, with its probability."""

    weight: float
    label: str
    ceasefire_start: date | None
    X: np.ndarray  # (T, K) timing terms per horizon day
    active: np.ndarray  # (T,) 1 where a meeting is possible
    venue_attrs: np.ndarray  # (T, J, A) venue attributes per horizon day
    announced: Announced | None = None  # the announcement counting each day (None: off)
    news: NewsToCome | None = None  # the news still to come (None: off; design/news.py)


@dataclass
class ModelData:
    """The fit's data and priors plus the forecast's horizon paths (plain NumPy, no PyMC)."""

    scenario: Scenario
    record: Dataset
    timing_terms: list[TimingTerm]
    venue_terms: list[VenueTerm]
    venue_odds: list[Prior]
    baseline: Prior
    history: Segments
    venue_summits: list[Summit]
    venue_attrs: np.ndarray  # (N, J, A) at each historical summit
    venue_choice: np.ndarray  # (N,) index into the dyad's venue ids
    horizon_dates: np.ndarray  # (T,) datetime64[D]
    paths: tuple[HorizonPath, ...]
    assumptions: list[str] = field(default_factory=list)
    #: The prior of ``announce_logit`` when announced meetings are in the model (the signal
    #: terms are on), else None (docs/model.md §3.5).
    announce: Prior | None = None
    #: The prior of ``framed_logit`` (a time-framed signal borne out), on with ``announce``.
    framed: Prior | None = None

    @property
    def dyad(self) -> Dyad:
        return self.record.dyad

    @property
    def term_names(self) -> list[str]:
        return [t.name for t in self.timing_terms]

    @property
    def last_summit(self) -> Summit | None:
        events = self.record.events
        return events[-1] if events else None

    @property
    def weights(self) -> np.ndarray:
        return np.array([p.weight for p in self.paths])


def prepare(scenario: Scenario, dataset: Dataset) -> ModelData:
    """Assemble the model's inputs as known on ``scenario.as_of`` (no look-ahead)."""
    record = record_for(scenario, dataset)
    scenario = resolve_windows(scenario, record)
    dyad = record.dyad
    terms = timing_terms(scenario, dyad)
    vterms = venue_terms(scenario, dyad)
    start, end = scenario.as_of + timedelta(days=1), scenario.horizon_end
    hist = daily_path(
        record, scenario, terms, record.meta.coverage_start, scenario.as_of, outcomes=True
    )
    history = segments(hist, event_days=scenario.model.signals)
    news = None
    if scenario.model.signals and scenario.model.news_to_come:
        ctx = Context(record, scenario, hist.dates)
        met = (hist.summits > 0) & (hist.active > 0)
        news = news_to_come(ctx, terms, hist.X, met, history.X, history.exposure)
    paths = []
    notes: list[str] = []
    dates = None
    for weight, label, cease in horizon_assumptions(scenario, dyad):
        path = daily_path(record, scenario, terms, start, end, ceasefire_start=cease)
        dates = path.dates
        notes.extend(n for n in path.assumptions if n not in notes)
        attrs = venue_attributes(record, scenario, vterms, path.dates, ceasefire_start=cease)
        announced = path.announced if scenario.model.signals else None
        paths.append(HorizonPath(weight, label, cease, path.X, path.active, attrs, announced, news))
    include = scenario.venues.include_earlier_leaders
    chosen = [s for s in record.summits if dyad.in_venue_model(s, include)]
    days = np.array([np.datetime64(s.date, "D") for s in chosen], dtype="M8[D]")
    return ModelData(
        scenario=scenario,
        record=record,
        timing_terms=terms,
        venue_terms=vterms,
        venue_odds=venue_odds(scenario, dyad),
        baseline=baseline_prior(),
        history=history,
        venue_summits=chosen,
        venue_attrs=venue_attributes(record, scenario, vterms, days),
        venue_choice=np.array([dyad.venue_ids.index(s.venue_class) for s in chosen], dtype=int),
        horizon_dates=dates,
        paths=tuple(paths),
        assumptions=notes,
        announce=kept_prior() if scenario.model.signals else None,
        framed=framed_prior() if scenario.model.signals else None,
    )
