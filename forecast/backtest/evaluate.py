"""What the model said at an origin, and what happened after it.

The window probability is the posterior predictive ``P(next summit within w days)``, the mean
over draws of ``1 - S(w)``; its 80% interval is across draws. The venue forecast for a window
is ``P(venue j | next summit within w days)``, the ratio of the posterior means of
``P(next summit within w days at venue j)`` and ``P(next summit within w days)``.
"""

from __future__ import annotations

from datetime import date

from forecast.design.prepare import ModelData
from forecast.domain.record import Dataset, Summit
from forecast.predict import Draws, mixture, summarise


def window_forecasts(
    data: ModelData, draws: Draws, windows: list[int] | tuple[int, ...]
) -> list[dict]:
    """For each window length ``w`` (days after ``as_of``): the summit probability with its
    interval and the venue distribution given a summit within the window."""
    surv, vdens = mixture(data, draws)  # (D, T+1), (D, T, J)
    horizon = surv.shape[1] - 1
    out = []
    for w in windows:
        if not 1 <= w <= horizon:
            raise ValueError(f"window of {w} days is outside the horizon of {horizon} days")
        p = 1.0 - surv[:, w]
        at_venue = vdens[:, :w, :].sum(axis=1)
        venues = at_venue.mean(axis=0) / max(float(p.mean()), 1e-300)
        out.append({"window_days": int(w), **summarise(p), "venues": venues, "at_venue": at_venue})
    return out


def case_forecast(data: ModelData, draws: Draws, venues: tuple[str, ...]) -> dict:
    """P(next summit by the end of the horizon), overall and at one of ``venues``."""
    horizon = len(data.horizon_dates)
    (whole,) = window_forecasts(data, draws, [horizon])
    cols = [data.dyad.venue_ids.index(v) for v in venues]
    at = whole["at_venue"][:, cols].sum(axis=1)
    return {
        "p_any": {k: whole[k] for k in ("p", "lo", "hi")},
        "p_venue": summarise(at),
        "venues": whole["venues"],
    }


def next_summit(dataset: Dataset, origin: date) -> Summit | None:
    """The dyad's first summit after ``origin`` in the full record (the outcome)."""
    return next((s for s in dataset.events if s.date > origin), None)


def what_happened(
    dataset: Dataset, as_of: date, end: date, venues: tuple[str, ...]
) -> tuple[bool, str]:
    """Whether a summit at one of ``venues`` took place in ``(as_of, end]``, in words."""
    nxt = next_summit(dataset, as_of)
    if nxt is None:
        return False, f"No summit up to the dataset's coverage end {dataset.meta.coverage_end}"
    where = f"{nxt.site} ({dataset.dyad.venue_label(nxt.venue_class)})"
    row = f"dataset row {nxt.id}"
    if nxt.date <= end:
        if nxt.venue_class in venues:
            return True, f"Yes: summit on {nxt.date} at {where} ({row})"
        return False, f"A summit on {nxt.date}, but at {where}, not as called ({row})"
    return False, f"No summit by {end}; the next was on {nxt.date} at {where} ({row})"
