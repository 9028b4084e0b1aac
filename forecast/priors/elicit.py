"""Elicitation: an analyst's stated multiplier range and confidence -> a prior on the log effect.

"A summit is 2–6x more likely inside the window, 80% sure" means the analyst puts 80% of their
belief on the multiplier lying in [2, 6]. We read that as a central interval of a log-normal
belief about the multiplier, i.e. a normal prior on the log-hazard effect whose central
``confidence`` interval is [log 2, log 6]. Every prior in the model, stated or default, goes
through :func:`elicit_log_effect`, so priors are data and can be shown beside posteriors.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from statistics import NormalDist


@dataclass(frozen=True)
class Prior:
    """A normal prior on a log effect, with where it came from."""

    mu: float
    sigma: float
    low: float
    high: float
    confidence: float
    origin: str  # "stated" or "default"
    label: str
    stated_by: str | None = None
    source: str | None = None
    statement: str | None = None
    scale: float = 1.0  # stated log effect = scale * model parameter
    #: how ``low`` and ``high`` map to the parameter: "log" (multipliers) or "logit"
    #: (probabilities, :func:`prior_from_probability_range`)
    link: str = "log"

    def centred_on(self, bound: float) -> Prior:
        """The same prior (same sd) centred on ``bound``, a value on the stated scale (a
        multiplier, or a probability for a ``logit`` prior)."""
        if self.link == "logit":
            return replace(self, mu=math.log(bound / (1 - bound)))
        return replace(self, mu=math.log(bound) / self.scale)

    def scaled(self, factor: float) -> Prior:
        """The prior of ``effect / factor`` (used when a statement is about a scaled contrast).

        ``scale`` remembers the factor, so outputs can show the parameter on the stated scale.
        """
        return Prior(
            **{
                **self.__dict__,
                "mu": self.mu / factor,
                "sigma": self.sigma / factor,
                "scale": self.scale * factor,
            }
        )


def elicit_log_effect(low: float, high: float, confidence: float) -> tuple[float, float]:
    """Return ``(mu, sigma)`` of the normal prior on ``log(multiplier)``.

    Parameters
    ----------
    low, high
        The stated multiplier range, ``0 < low < high``.
    confidence
        The probability the analyst puts on the multiplier lying in ``[low, high]``, in (0, 1).

    Examples
    --------
    >>> mu, sigma = elicit_log_effect(2, 6, 0.8)
    >>> round(math.exp(mu), 3), round(sigma, 3)
    (3.464, 0.429)
    """
    if not (low > 0 and high > low):
        raise ValueError(f"expected 0 < low < high, got low={low!r}, high={high!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"expected a confidence in (0, 1), got {confidence!r}")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    mu = (math.log(low) + math.log(high)) / 2
    sigma = (math.log(high) - math.log(low)) / (2 * z)
    return mu, sigma


def prior_from_range(
    low: float, high: float, confidence: float, *, label: str, origin: str = "default", **info
) -> Prior:
    mu, sigma = elicit_log_effect(low, high, confidence)
    return Prior(mu, sigma, low, high, confidence, origin, label, **info)


def prior_from_probability_range(
    low: float, high: float, confidence: float, *, label: str, origin: str = "default"
) -> Prior:
    """A normal prior on the log odds of a probability stated as a range: "kept 60–97% of the
    time, 80% sure" is the odds range [0.6/0.4, 0.97/0.03] through :func:`elicit_log_effect`.
    ``low`` and ``high`` are kept as the stated probabilities."""
    if not 0 < low < high < 1:
        raise ValueError(f"expected 0 < low < high < 1, got low={low!r}, high={high!r}")
    mu, sigma = elicit_log_effect(low / (1 - low), high / (1 - high), confidence)
    return Prior(mu, sigma, low, high, confidence, origin, label, link="logit")


def stated_prior(statement, label: str) -> Prior:
    """The prior an analyst's statement implies (one elicitation for every kind of statement).

    ``statement`` is any stated effect of a scenario (an indicator or a venue judgment): it has
    ``multiplier``, ``confidence``, ``stated_by``, ``source`` and ``statement``.
    """
    return prior_from_range(
        *statement.multiplier,
        statement.confidence,
        label=label,
        origin="stated",
        stated_by=statement.stated_by,
        source=statement.source,
        statement=statement.statement,
    )


# The baseline rate's default, written the way an analyst would state it. The defaults of the
# terms live with each term kind (forecast.terms) and the venues' with the dyad (dataset.yaml);
# all are documented in docs/model.md.
DEFAULT_BASELINE = dict(low=0.03, high=1.0, confidence=0.9, label="baseline rate (summits/year)")


def baseline_prior() -> Prior:
    """The prior of the baseline rate (summits per year with every term at zero)."""
    return prior_from_range(**DEFAULT_BASELINE)
