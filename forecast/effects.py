"""Every effect of the model, once: its name in the outputs, its parameter and its prior.

An effect is one coordinate of one model parameter: the baseline (``log_rate``), a timing term
(``beta[term]``), a venue constant (``venue_asc[venue]``) or a venue term
(``venue_beta[term]``). forecast.json's ``effects``, the report's indicator table, influence
and the notebook all read :func:`effects`, so the mapping lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.design.prepare import ModelData
from forecast.priors.elicit import Prior


@dataclass(frozen=True)
class Effect:
    """One effect: ``name`` as in forecast.json, and where its draws are."""

    name: str
    group: str  # "timing" or "venue"
    parameter: str  # "log_rate", "beta", "venue_asc" or "venue_beta"
    dim: str | None  # the parameter's dimension, None for the scalar baseline
    coord: str | None  # the coordinate along it
    prior: Prior
    kind: str  # the term kind ("baseline", "venue" for a venue constant)

    def index(self, data: ModelData) -> int | None:
        """The effect's position along its parameter's dimension."""
        if self.dim is None:
            return None
        names = {
            "covariate": data.term_names,
            "venue_alt": list(data.dyad.alternatives),
            "venue_attr": [t.name for t in data.venue_terms],
        }[self.dim]
        return names.index(self.coord)

    def values(self, data: ModelData, draws) -> np.ndarray:
        """Draws of the parameter coordinate (:class:`~forecast.predict.Draws`)."""
        values = getattr(draws, self.parameter)
        i = self.index(data)
        return values if i is None else values[:, i]

    def stated_values(self, data: ModelData, draws) -> np.ndarray:
        """Draws as a log multiplier on the scale the effect was stated on."""
        return self.values(data, draws) * self.prior.scale

    def inert(self, data: ModelData) -> bool:
        """Whether the effect can move nothing at all: its term is zero on every day of the
        history and of every horizon path (a ceasefire term when no ceasefire is in the record
        and the war continues throughout the horizon). Its coefficient then touches neither the
        likelihood nor the forecast, so its posterior is its prior and independent of every other
        parameter; restating it changes the forecast only by Monte Carlo noise, and the report
        says "no effect" instead of printing that noise.

        A term that is zero over the horizon but not in the history (the border closure) is not
        inert: its prior changes what the history says about the other effects.
        The baseline and the venue constants are never inert.
        """
        i = self.index(data)
        if self.parameter == "beta":
            cols = [data.history.X[:, i], *(p.X[:, i] for p in data.paths)]
        elif self.parameter == "venue_beta":
            cols = [data.venue_attrs[..., i], *(p.venue_attrs[..., i] for p in data.paths)]
        else:
            return False
        return not any(bool(np.any(c != 0)) for c in cols)


def effects(data: ModelData) -> list[Effect]:
    """All effects of the model for ``data``, in a fixed order (baseline, timing, venue)."""
    out = [Effect("baseline", "timing", "log_rate", None, None, data.baseline, "baseline")]
    out += [
        Effect(t.name, "timing", "beta", "covariate", t.name, t.prior, t.kind)
        for t in data.timing_terms
    ]
    out += [
        Effect(f"venue:{v}", "venue", "venue_asc", "venue_alt", v, prior, "venue")
        for v, prior in zip(data.dyad.alternatives, data.venue_odds, strict=True)
    ]
    out += [
        Effect(t.name, "venue", "venue_beta", "venue_attr", t.name, t.prior, t.kind)
        for t in data.venue_terms
    ]
    return out


def effect(data: ModelData, name: str) -> Effect:
    """The effect called ``name``."""
    for e in effects(data):
        if e.name == name:
            return e
    raise KeyError(name)
