"""Venue classes and the attributes the conditional-logit venue model uses.

For a summit at time ``t`` each venue class ``j`` gets three attributes:

- ``host_turn``: 1 for the side whose turn it is to host (the side that hosted less recently;
  with no earlier summit, or a tie, Russia — only the first observation, in 2000, is affected);
- ``wartime_travel``: ``log(1 + distance_km / 1000)`` from Pyongyang while the war is active
  (no ceasefire), else 0 — Kim's travel risk in wartime;
- ``occasion_venue``: 1 if a scheduled multilateral occasion is under way at that venue class,
  padded by the scenario's ``model.scheduled_window_days`` (analyst occasion windows of the
  timing model do not change this padding).
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from forecast.domain.vocab import VENUE_CLASSES

VENUE_ATTRS: tuple[str, ...] = ("host_turn", "wartime_travel", "occasion_venue")

# Representative city per venue class (latitude, longitude), for the great-circle distance.
_PYONGYANG = (39.02, 125.75)
_CITIES = {
    "dprk": _PYONGYANG,
    "russian_capital": (55.76, 37.62),  # Moscow
    "russian_far_east": (43.12, 131.89),  # Vladivostok
    "russia_other": (51.83, 107.58),  # Ulan-Ude (2011 summit)
    "third_country": (39.90, 116.40),  # Beijing (2025 summit)
}
_RUSSIAN = ("russian_capital", "russian_far_east", "russia_other")


def great_circle_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


DISTANCE_KM: dict[str, float] = {j: great_circle_km(_PYONGYANG, c) for j, c in _CITIES.items()}
TRAVEL_SCALE: np.ndarray = np.array([math.log1p(DISTANCE_KM[j] / 1000) for j in VENUE_CLASSES])


def host_turn(last_dprk_hosted: date | None, last_russia_hosted: date | None) -> np.ndarray:
    """Indicator over venue classes of the side whose turn it is to host."""
    out = np.zeros(len(VENUE_CLASSES))
    dprk_turn = (last_dprk_hosted or date.min) < (last_russia_hosted or date.min)
    for i, j in enumerate(VENUE_CLASSES):
        if (dprk_turn and j == "dprk") or (not dprk_turn and j in _RUSSIAN):
            out[i] = 1.0
    return out


def attributes(turn: np.ndarray, active_war: bool, occasion_at: set[str]) -> np.ndarray:
    """The (venue, attribute) matrix for one moment."""
    occ = np.array([1.0 if j in occasion_at else 0.0 for j in VENUE_CLASSES])
    war = TRAVEL_SCALE * (1.0 if active_war else 0.0)
    return np.stack([turn, war, occ], axis=1)
