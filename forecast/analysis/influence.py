"""How far the forecast moves when one analyst-stated indicator is left out, without refitting.

Computed at report time from the saved posterior draws (no sampling):

* an **occasion** indicator (covariate ``occasion:<id>``) is left out by setting its
  coefficient to 0 in every draw: the occasion's days then get no multiplier at all;
* a **stated factor** (an indicator that replaced the default prior of a standing factor such
  as ``exchanges``) is left out by importance-reweighting the posterior draws from the stated
  prior to the documented default prior, ``w ∝ p_default(β) / p_stated(β)``, Pareto-smoothed
  (PSIS, :mod:`forecast.analysis.psis`); the Pareto ``k`` says whether the weights can be trusted;
* a **venue judgment** is reweighted the same way, and its influence is read on the venue
  distribution (it does not touch the timing).

The approximations are discussed in docs/report.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from forecast.analysis.psis import psis_log_weights
from forecast.config.scenario import FactorTarget
from forecast.design.prepare import ModelData
from forecast.effects import effect
from forecast.predict import Draws, mixture_sums, survival
from forecast.priors.elicit import elicit_log_effect
from forecast.terms import judgment_effect, timing_kinds, usable, venue_kinds


@dataclass(frozen=True)
class Stated:
    """One analyst statement used by the model, with the effect it sets."""

    id: str
    kind: str  # "occasion", "factor" or "venue"
    effect: str  # the effect's name in forecast.json's "effects"
    statement: str
    stated_by: str
    stated_on: date
    source: str


@dataclass(frozen=True)
class Influence:
    """The forecast with and without one statement."""

    stated: Stated
    method: str
    by_end: tuple[float, float] | None = None  # P(next summit by horizon end): with, without
    first_window: tuple[float, float] | None = None
    venue: tuple[str, float, float] | None = None  # top venue: with, without
    pareto_k: float | None = None
    k_threshold: float | None = None
    acts: bool = True  # False: the term is inert (zero everywhere; effects.Effect.inert)

    @property
    def reliable(self) -> bool:
        return self.pareto_k is None or self.pareto_k <= (self.k_threshold or 0.7)


def statements(data: ModelData) -> list[Stated]:
    """The indicators and venue judgments the run used (stated on or before ``as_of``)."""
    sc = data.scenario
    out = []
    for ind in usable(sc, sc.indicators):
        factor = isinstance(ind.effect_on, FactorTarget)
        out.append(
            Stated(
                ind.id,
                "factor" if factor else "occasion",
                ind.effect_on.kind if factor else f"occasion:{ind.id}",
                ind.statement,
                ind.stated_by,
                ind.stated_on,
                ind.source,
            )
        )
    for j in usable(sc, sc.venues.judgments):
        out.append(
            Stated(
                j.id, "venue", judgment_effect(j), j.statement, j.stated_by, j.stated_on, j.source
            )
        )
    return out


def default_prior(data: ModelData, name: str) -> tuple[float, float]:
    """``(mu, sigma)`` of the default prior of effect ``name``, on the stated scale."""
    e = effect(data, name)
    if e.kind == "venue":
        d = data.dyad.venue(e.coord).prior
        spec = dict(low=d.low, high=d.high, confidence=d.confidence)
    else:
        kinds = timing_kinds() if e.group == "timing" else venue_kinds()
        spec = kinds[e.kind].default
    return elicit_log_effect(spec["low"], spec["high"], spec["confidence"])


def effect_values(data: ModelData, draws: Draws, name: str) -> np.ndarray:
    """Draws of effect ``name`` as a log multiplier on the scale it was stated on."""
    return effect(data, name).stated_values(data, draws)


def _log_normal_pdf(x: np.ndarray, mu: float, sigma: float) -> np.ndarray:
    return -0.5 * ((x - mu) / sigma) ** 2 - math.log(sigma)


def psis_weights(log_ratio: np.ndarray) -> tuple[np.ndarray, float]:
    """Pareto-smoothed importance weights (summing to 1) and the Pareto ``k`` of the tail."""
    log_w, k = psis_log_weights(log_ratio)
    w = np.exp(log_w - log_w.max())
    return w / w.sum(), float(k)


class _Metrics:
    """Per-draw forecast quantities the influence table compares."""

    def __init__(
        self,
        data: ModelData,
        draws: Draws,
        with_venue: bool,
        horizon: tuple[np.ndarray, np.ndarray] | None = None,
    ):
        self.data = data
        sc = data.scenario
        first = date.fromisoformat(str(data.horizon_dates[0]))
        w = sc.windows[0]
        self.lo, self.hi = (w.start - first).days, (w.end - first).days
        self.share = None
        if horizon is not None:  # computed by the run already: the same numbers
            self.surv, at = horizon
            if with_venue:
                self.share = at / np.maximum(at.sum(axis=1), 1e-300)[:, None]
        elif with_venue:  # the venue mix of the next summit in each draw, as forecast() has it
            whole = [(0, len(data.horizon_dates) - 1)]
            self.surv, sums = mixture_sums(data, draws, whole)  # chunked: flat memory
            at = sums[:, 0, :]  # (D, J)
            self.share = at / np.maximum(at.sum(axis=1), 1e-300)[:, None]
        else:
            self.surv = survival(data, draws)

    def timing(self, surv: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        s = self.surv if surv is None else surv
        return 1.0 - s[:, -1], s[:, self.lo] - s[:, self.hi + 1]


def influences(
    data: ModelData, draws: Draws, horizon: tuple[np.ndarray, np.ndarray] | None = None
) -> list[Influence]:
    """The influence of every statement the run used (see the module docstring).

    ``horizon`` is the run's mixed survival (D, T+1) and venue density summed over the whole
    horizon (D, J), as :func:`forecast.predict.mixture_sums` gives them, when the caller has
    them already (:class:`forecast.io.outputs.RunFiles`); they are computed here otherwise,
    with the same numbers.
    """
    stated = statements(data)
    with_venue = any(s.kind == "venue" for s in stated)
    metrics = _Metrics(data, draws, with_venue, horizon)
    by_end, window = metrics.timing()
    n = len(by_end)
    threshold = min(1 - 1 / math.log10(n), 0.7) if n > 10 else 0.7
    names = data.term_names
    out = []
    for s in stated:
        if effect(data, s.effect).inert(data):
            out.append(
                Influence(
                    s, "not computed: the term is zero over the history and the horizon", acts=False
                )
            )
            continue
        if s.kind == "occasion":
            beta = draws.beta.copy()
            beta[:, names.index(s.effect)] = 0.0
            end0, win0 = metrics.timing(survival(data, replace(draws, beta=beta)))
            out.append(
                Influence(
                    s,
                    "coefficient set to 0 in every draw",
                    (float(by_end.mean()), float(end0.mean())),
                    (float(window.mean()), float(win0.mean())),
                )
            )
            continue
        prior = effect(data, s.effect).prior
        d_mu, d_sigma = default_prior(data, s.effect)
        x = effect_values(data, draws, s.effect)
        log_ratio = _log_normal_pdf(x, d_mu, d_sigma) - _log_normal_pdf(
            x, prior.mu * prior.scale, prior.sigma * prior.scale
        )
        w, k = psis_weights(log_ratio)
        if s.kind == "factor":
            out.append(
                Influence(
                    s,
                    "posterior reweighted to the default prior, PSIS",
                    (float(by_end.mean()), float(w @ by_end)),
                    (float(window.mean()), float(w @ window)),
                    pareto_k=k,
                    k_threshold=threshold,
                )
            )
        else:
            share = metrics.share
            top = int(np.argmax(share.mean(axis=0)))
            out.append(
                Influence(
                    s,
                    "posterior reweighted to the default prior, PSIS",
                    venue=(
                        data.dyad.venue_ids[top],
                        float(share[:, top].mean()),
                        float(w @ share[:, top]),
                    ),
                    pareto_k=k,
                    k_threshold=threshold,
                )
            )
    return out
