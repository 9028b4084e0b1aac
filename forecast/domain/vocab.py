"""Closed vocabularies shared by every dataset and the scenario schema.

Venue classes, sides and leaders are not here: each dataset's dyad declares its own
(:mod:`forecast.domain.dyad`).
"""

from __future__ import annotations

from typing import Literal

#: Rank of an exchange's most senior traveller (guide: the datasets' READMEs).
Rank = Literal["L", "M1", "M2", "M3"]

#: Days per year: hazards are per year, the calendar is in days.
DAYS_PER_YEAR = 365.25
