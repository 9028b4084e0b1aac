"""How sensitive the headline is to each prior: refit with each stated indicator and each
default prior moved to the ends of its range.

For every effect of the model (the baseline, each timing term, each venue constant, each venue
term, and with the signal terms on the probability ``q`` that an announcement is kept, whose
range is of probabilities and is moved on the log-odds scale) the prior's centre is moved to
the low end and then to the high end of its stated (or
documented default) range, keeping its width, and the model is refitted. The model is compiled
once (the refit backend of :class:`forecast.backtest.engine.Engine`) and every fit swaps only
the priors' values; every fit uses the same seed, so the differences
come from the priors, not from Monte Carlo noise. The headline, P(next summit by the horizon's
end), is read off each fit's draws with the scenario's own horizon paths.

A venue effect cannot change the timing, and a timing term that is zero over the whole horizon
and the history (a ceasefire that never happened, in a scenario where the war continues) cannot
change the headline either: their swings show the Monte Carlo noise of refitting (a fit with
another prior follows another sampler trajectory even with the same seed), which is why the
reference's Monte Carlo standard error is reported beside the swings.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from forecast.design.announced import FRAMED_NAME as FRAMED
from forecast.design.announced import NAME as ANNOUNCED
from forecast.design.prepare import ModelData
from forecast.effects import Effect, effects
from forecast.predict import Draws, survival

SCHEMA = "summit-forecast/sensitivity.json/1"


@dataclass(frozen=True)
class Swing:
    """The headline with one prior moved to each end of its range."""

    effect: Effect
    p_low: float
    p_high: float

    @property
    def width(self) -> float:
        return abs(self.p_high - self.p_low)


@dataclass
class Sensitivity:
    """Every effect's swing, the reference fit's headline (with its Monte Carlo standard
    error: swings smaller than about twice it are noise), and what it cost."""

    reference: float
    reference_mcse: float
    swings: list[Swing]
    fits: int
    seconds: float  # sampling and forecasting, after the compile
    compile_seconds: float
    settings: dict

    @property
    def fits_per_second(self) -> float:
        return self.fits / self.seconds if self.seconds > 0 else float("nan")

    def ranked(self) -> list[Swing]:
        """Largest swing first (the tornado's order)."""
        return sorted(self.swings, key=lambda s: -s.width)


def announced_effect(data: ModelData) -> list[Effect]:
    """The announced meetings' ``q`` and the time-framed signals' ``q_f`` as effects (none
    without the signal terms)."""
    if data.announce is None:
        return []
    return [
        Effect(ANNOUNCED, "timing", "announce_logit", None, None, data.announce, ANNOUNCED),
        Effect(FRAMED, "timing", "framed_logit", None, None, data.framed, FRAMED),
    ]


def moved(data: ModelData, effect: Effect, end: str) -> ModelData:
    """``data`` with ``effect``'s prior centred on the ``low`` or ``high`` end of its range."""
    prior = effect.prior
    new = prior.centred_on(prior.low if end == "low" else prior.high)
    if effect.parameter == "announce_logit":
        return replace(data, announce=new)
    if effect.parameter == "framed_logit":
        return replace(data, framed=new)
    if effect.parameter == "log_rate":
        return replace(data, baseline=new)
    if effect.parameter == "beta":
        terms = [replace(t, prior=new) if t.name == effect.coord else t for t in data.timing_terms]
        return replace(data, timing_terms=terms)
    if effect.parameter == "venue_asc":
        odds = list(data.venue_odds)
        odds[list(data.dyad.alternatives).index(effect.coord)] = new
        return replace(data, venue_odds=odds)
    terms = [replace(t, prior=new) if t.name == effect.coord else t for t in data.venue_terms]
    return replace(data, venue_terms=terms)


def headline(data: ModelData, draws: Draws) -> float:
    """P(next summit by the horizon's end), the posterior mean, mixed over the paths."""
    return float(np.mean(1.0 - survival(data, draws)[:, -1]))


def headline_mcse(data: ModelData, draws: Draws, chains: int) -> float:
    """Monte Carlo standard error of the headline: the MCSE of the mean of the per-draw
    probability (arviz-stats' method, :func:`forecast.model.convergence.mcse_mean`)."""
    from forecast.model.convergence import mcse_mean

    p = 1.0 - survival(data, draws)[:, -1]
    return mcse_mean(p.reshape(chains, -1))


def sensitivity(
    data: ModelData,
    *,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    seed: int = 1,
    echo: Callable[[str], None] | None = None,
) -> Sensitivity:
    """Refit ``data``'s model with each prior at each end of its range (see the module)."""
    from forecast.backtest.engine import Engine

    engine = Engine(list(data.term_names), data)
    kw = dict(draws=draws, tune=tune, chains=chains, seed=seed)
    # every fit has the same shapes (only priors move): compiled once, before the timed fits
    engine.warm([data], draws=draws, tune=tune, chains=chains)
    start = time.perf_counter()
    ref = engine.fit(data, **kw)
    reference = headline(data, ref.draws)
    mcse = headline_mcse(data, ref.draws, chains)
    swings = []
    todo = effects(data) + announced_effect(data)
    for i, e in enumerate(todo):
        p = {
            end: headline(data, engine.fit(moved(data, e, end), **kw).draws)
            for end in ("low", "high")
        }
        swings.append(Swing(e, p["low"], p["high"]))
        if echo:
            echo(
                f"  [{i + 1}/{len(todo)}] {e.name}: {100 * p['low']:.1f}% … {100 * p['high']:.1f}%"
            )
    seconds = time.perf_counter() - start
    return Sensitivity(
        reference=reference,
        reference_mcse=mcse,
        swings=swings,
        fits=1 + 2 * len(todo),
        seconds=seconds,
        compile_seconds=engine.compile_seconds,
        settings={**kw, "backend": engine.backend},
    )
