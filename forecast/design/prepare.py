"""Everything the model and the forecast need, assembled once from a scenario and the dataset."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from forecast.config.scenario import Scenario
from forecast.design.inputs import (
    Covariate,
    baseline_prior,
    covariates_for,
    record_for,
    venue_priors,
)
from forecast.design.paths import CovariatePath, Segments, daily_path, segments, venue_attributes
from forecast.domain.record import Dataset, Summit
from forecast.domain.vocab import VENUE_CLASSES
from forecast.priors.elicit import Prior


@dataclass
class ModelData:
    """The fit's data and priors plus the forecast's covariate path (plain NumPy, no PyMC)."""

    scenario: Scenario
    record: Dataset
    covariates: list[Covariate]
    baseline: Prior
    history: Segments
    venue_summits: list[Summit]
    venue_attrs: np.ndarray  # (N, J, A) at each historical summit
    venue_choice: np.ndarray  # (N,) index into VENUE_CLASSES
    venue_asc: list[Prior]
    venue_effects: list[Prior]
    horizon: CovariatePath
    horizon_venue_attrs: np.ndarray  # (T, J, A)
    assumptions: list[str] = field(default_factory=list)

    @property
    def last_summit(self) -> Summit | None:
        ks = [s for s in self.record.summits if s.kim_putin]
        return ks[-1] if ks else None


def prepare(scenario: Scenario, dataset: Dataset) -> ModelData:
    """Assemble the model's inputs as known on ``scenario.as_of`` (no look-ahead)."""
    record = record_for(scenario, dataset)
    covs = covariates_for(scenario)
    hist_path = daily_path(record, scenario, covs, record.meta.coverage_start, scenario.as_of)
    horizon = daily_path(
        record, scenario, covs, scenario.as_of + timedelta(days=1), scenario.horizon_end
    )
    chosen = [
        s
        for s in record.summits
        if s.dprk_leader == "kim_jong_un" or scenario.venues.include_earlier_leaders
    ]
    attrs_hist = venue_attributes(
        record, scenario, [s.date for s in chosen], assume_ceasefire=False
    )
    days = [date.fromisoformat(str(d)) for d in horizon.dates]
    asc, effects = venue_priors(scenario)
    return ModelData(
        scenario=scenario,
        record=record,
        covariates=covs,
        baseline=baseline_prior(),
        history=segments(hist_path),
        venue_summits=chosen,
        venue_attrs=attrs_hist,
        venue_choice=np.array([VENUE_CLASSES.index(s.venue_class) for s in chosen], dtype=int),
        venue_asc=asc,
        venue_effects=effects,
        horizon=horizon,
        horizon_venue_attrs=venue_attributes(record, scenario, days),
        assumptions=horizon.assumptions,
    )
