"""The model's terms: a registry of kinds, one module each, and the builders that bind them.

:func:`timing_terms` and :func:`venue_terms` turn a scenario and its dataset's dyad into the
terms of one run, each with its prior (the analyst's statement where there is one, else the
kind's documented default); :func:`venue_odds` gives the priors of the venue constants. See
:mod:`forecast.terms.base` for what a kind declares and docs/extending.md for adding one.
"""

from __future__ import annotations

from forecast.config.scenario import FactorTarget, Indicator, Scenario, VenueJudgment
from forecast.domain.dyad import Dyad
from forecast.priors.elicit import Prior, prior_from_range, stated_prior
from forecast.terms import (  # noqa: F401  (importing a kind's module registers it)
    anniversaries,
    ceasefire,
    exchanges,
    host_turn,
    occasion,
    occasion_venue,
    periods,
    scheduled,
    signal_venue,
    signals_decaying,
    since_last,
    wartime_travel,
)
from forecast.terms.base import (
    Context,
    Term,
    TimingTerm,
    VenueTerm,
    days_between,
    register,
    timing_kinds,
    venue_kinds,
)
from forecast.terms.occasion import Occasion

__all__ = [
    "Context",
    "Term",
    "TimingTerm",
    "VenueTerm",
    "days_between",
    "register",
    "timing_kinds",
    "venue_kinds",
    "timing_terms",
    "venue_terms",
    "venue_odds",
    "usable",
    "judgment_effect",
]


def usable(scenario: Scenario, items: list) -> list:
    """The statements known on ``as_of`` (a statement made later is ignored: no look-ahead)."""
    return [s for s in items if s.stated_on <= scenario.as_of]


def _prior(cls: type[Term], dyad: Dyad, statement: Indicator | VenueJudgment | None) -> Prior:
    label = cls.default_label(dyad)
    if statement is not None:
        return stated_prior(statement, label)
    return prior_from_range(**cls.default, label=label)


SIGNAL_PREFIX = "signal_"  # the kinds of forecast/terms/signals*.py


def used_kinds(scenario: Scenario, kinds: tuple[str, ...] | list[str]) -> list[str]:
    """The dyad's term kinds a scenario uses: all of them, except the signal kinds unless the
    scenario sets ``model.signals`` (see :class:`~forecast.config.scenario.ModelSettings`)."""
    if scenario.model.signals:
        return list(kinds)
    return [k for k in kinds if not k.startswith(SIGNAL_PREFIX)]


def timing_terms(scenario: Scenario, dyad: Dyad) -> list[TimingTerm]:
    """The timing model's terms: the dyad's standing terms, then one per occasion indicator.

    Precedence for a standing term's prior: the analyst's statement, else the default.
    """
    indicators = usable(scenario, scenario.indicators)
    stated = {i.effect_on.kind: i for i in indicators if isinstance(i.effect_on, FactorTarget)}
    kinds = timing_kinds()
    out: list[TimingTerm] = []
    for kind in used_kinds(scenario, dyad.timing_terms):
        cls = kinds[kind]
        out.append(cls(name=kind, prior=_prior(cls, dyad, stated.get(kind))))
    for ind in indicators:
        target = ind.effect_on
        if isinstance(target, FactorTarget):
            continue
        label = f"within -{target.days_before}/+{target.days_after} days of " + ", ".join(
            target.occasions
        )
        out.append(
            Occasion(
                name=f"occasion:{ind.id}",
                prior=stated_prior(ind, label),
                occasions=tuple(target.occasions),
                days_before=target.days_before,
                days_after=target.days_after,
            )
        )
    return out


def judgment_effect(judgment: VenueJudgment) -> str:
    """The effect a venue judgment sets: ``venue:<id>`` for a venue's odds, else the term."""
    target = judgment.effect_on
    return f"venue:{target.venue}" if target.kind == "venue" else target.kind


def _judgments(scenario: Scenario) -> dict[str, VenueJudgment]:
    return {judgment_effect(j): j for j in usable(scenario, scenario.venues.judgments)}


def venue_terms(scenario: Scenario, dyad: Dyad) -> list[VenueTerm]:
    """The venue model's attribute terms, in the dyad's order, with their priors.

    A statement is about ``stated_scale`` units of the attribute, so the parameter's prior is
    the stated one divided by that scale (:meth:`~forecast.priors.elicit.Prior.scaled`).
    """
    stated = _judgments(scenario)
    kinds = venue_kinds()
    out: list[VenueTerm] = []
    for kind in used_kinds(scenario, dyad.venue_terms):
        cls = kinds[kind]
        prior = _prior(cls, dyad, stated.get(kind))
        scale = cls.stated_scale(dyad)
        out.append(cls(name=kind, prior=prior.scaled(scale) if scale != 1.0 else prior))
    return out


def venue_odds(scenario: Scenario, dyad: Dyad) -> list[Prior]:
    """Priors of the venue constants: each venue's odds against the home venue, as stated
    by an analyst's ``kind: venue`` judgment, else the dyad's default for that venue."""
    stated = _judgments(scenario)
    out = []
    for venue_id in dyad.alternatives:
        default = dyad.venue(venue_id).prior
        judgment = stated.get(f"venue:{venue_id}")
        if judgment is not None:
            out.append(stated_prior(judgment, default.label))
        else:
            out.append(
                prior_from_range(default.low, default.high, default.confidence, label=default.label)
            )
    return out
