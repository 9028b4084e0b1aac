"""Reference forecasts the model must beat: constant summit rates fitted up to the origin.

Both baselines treat Kim Jong Un–Putin summits as a Poisson process with a constant rate
``lambda`` (per year), estimated from the summits and the exposure known at the origin. With
Jeffreys' prior for a Poisson rate, ``p(lambda) ∝ lambda^(-1/2)``, ``n`` summits in ``T`` years
give the posterior ``Gamma(n + 1/2, T)``, and the predictive probability of at least one summit
in the next ``w`` years is

    P = 1 - (T / (T + w)) ** (n + 1/2)

(the +1/2 pseudo-count keeps a zero count from giving probability 0). ``constant`` fits one rate
to the Kim Jong Un era (from the dataset's coverage start to the origin); ``wartime`` fits a
separate rate to the time since the war began on 2022-02-24 for origins after that date, and is
the same as ``constant`` before it.
"""

from __future__ import annotations

from datetime import date

from forecast.domain.record import Dataset
from forecast.domain.vocab import DAYS_PER_YEAR

BASELINES = {
    "constant": "constant rate since the coverage start",
    "wartime": "constant rate with a wartime rate after 2022-02-24",
}


def jeffreys_probability(n: int, exposure_years: float, window_years: float) -> float:
    """P(at least one event in ``window_years``) after ``n`` events in ``exposure_years``.

    Parameters
    ----------
    n
        Events observed.
    exposure_years
        Time observed, in years (> 0).
    window_years
        Length of the window ahead, in years (> 0).

    Examples
    --------
    >>> round(jeffreys_probability(0, 1.0, 1.0), 4)  # 1 - 2 ** -0.5
    0.2929
    """
    if exposure_years <= 0 or window_years <= 0:
        raise ValueError("expected positive exposure and window")
    return 1.0 - (exposure_years / (exposure_years + window_years)) ** (n + 0.5)


def _count(record: Dataset, first: date, last: date) -> tuple[int, float]:
    n = sum(1 for s in record.events if first <= s.date <= last)
    return n, ((last - first).days + 1) / DAYS_PER_YEAR


def baseline_probabilities(dataset: Dataset, origin: date, window_days: int) -> dict[str, float]:
    """Both baselines' probability of a summit within ``window_days`` after ``origin``.

    Only the record as known at the end of ``origin`` is used (no look-ahead).
    """
    record = dataset.known_on(origin)
    w = window_days / DAYS_PER_YEAR
    n, t = _count(record, record.meta.coverage_start, origin)
    constant = jeffreys_probability(n, t, w)
    war = record.period("war")
    wartime = constant
    if war is not None and war.start <= origin:
        n_w, t_w = _count(record, war.start, origin)
        wartime = jeffreys_probability(n_w, t_w, w)
    return {"constant": constant, "wartime": wartime}
