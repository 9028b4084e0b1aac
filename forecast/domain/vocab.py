"""Closed vocabularies shared by the dataset, the scenario schema and the model."""

from __future__ import annotations

from typing import Literal, get_args

VenueClass = Literal["dprk", "russian_capital", "russian_far_east", "russia_other", "third_country"]
VENUE_CLASSES: tuple[str, ...] = (
    "dprk",
    "russian_capital",
    "russian_far_east",
    "russia_other",
    "third_country",
)
VENUE_LABELS: dict[str, str] = {
    "dprk": "North Korea",
    "russian_capital": "Moscow",
    "russian_far_east": "Russian Far East",
    "russia_other": "elsewhere in Russia",
    "third_country": "third country",
}

Rank = Literal["L", "M1", "M2", "M3"]
Direction = Literal["to_dprk", "to_russia"]
Travelled = Literal["dprk", "russia", "both"]

# Covariates of the timing model whose priors have defaults and that an indicator may restate.
FactorCovariate = Literal[
    "exchanges",
    "since_last_summit",
    "war",
    "ceasefire",
    "border_closure",
    "scheduled_occasions",
    "anniversaries",
]
FACTOR_COVARIATES: tuple[str, ...] = get_args(FactorCovariate)

# Venue-model effects an analyst may state a judgment about.
VenueEffect = Literal["venue", "host_turn", "wartime_travel", "occasion_venue"]
