"""From a scenario and the dataset to what the model needs: the record as known on the as-of
date, the list of covariates with their priors, and cross-checks between the two files."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from forecast.config.scenario import (
    ExchangeEvent,
    FactorTarget,
    Indicator,
    OccasionEvent,
    Scenario,
    SummitEvent,
    VenueJudgment,
)
from forecast.domain.record import Dataset, Exchange, Scheduled, Summit
from forecast.domain.venues import TRAVEL_SCALE, VENUE_ATTRS
from forecast.domain.vocab import FACTOR_COVARIATES, VENUE_CLASSES
from forecast.errors import InputError
from forecast.priors.elicit import (
    DEFAULT_BASELINE,
    DEFAULT_FACTORS,
    DEFAULT_VENUE,
    Prior,
    prior_from_range,
)


@dataclass(frozen=True)
class Covariate:
    """One column of the timing model's design matrix, with its prior."""

    name: str
    kind: str  # a factor name, or "occasion"
    prior: Prior
    occasions: tuple[str, ...] = ()
    days_before: int = 0
    days_after: int = 0


def check_scenario(scenario: Scenario, dataset: Dataset, path: str | Path) -> list[str]:
    """Cross-check a scenario against the dataset; return warnings, raise on errors."""
    meta = dataset.meta
    if scenario.as_of < meta.coverage_start:
        raise InputError(
            path, "as_of", f"expected a date on or after the dataset's start {meta.coverage_start}"
        )
    known = with_events(dataset, scenario).occasion_ids
    for i, ind in enumerate(scenario.indicators):
        if isinstance(ind.effect_on, FactorTarget):
            continue
        for k, occ in enumerate(ind.effect_on.occasions):
            if occ not in known:
                hint = difflib.get_close_matches(occ, known, n=1, cutoff=0.5)
                msg = f"unknown occasion {occ!r}; " + (
                    f"did you mean '{hint[0]}'?" if hint else f"expected one of {', '.join(known)}"
                )
                raise InputError(path, f"indicators -> {i} -> effect_on -> occasions -> {k}", msg)
    claimed: dict[str, int] = {}
    for i, ind in enumerate(scenario.indicators):
        if not isinstance(ind.effect_on, FactorTarget):
            for occ in ind.effect_on.occasions:
                if occ in claimed:
                    raise InputError(
                        path,
                        f"indicators -> {i} -> effect_on -> occasions",
                        f"occasion {occ!r} is already used by indicator {claimed[occ]}",
                    )
                claimed[occ] = i
    warnings: list[str] = []
    gap = (scenario.as_of - meta.coverage_end).days
    if gap > 0:
        warnings.append(
            f"as_of {scenario.as_of} is {gap} days after the dataset's coverage end "
            f"{meta.coverage_end}: summits and exchanges in that gap are unknown unless listed "
            "under 'events'; the model treats the gap as having none besides those."
        )
    for i, ind in enumerate(scenario.indicators):
        if ind.stated_on > scenario.as_of:
            warnings.append(
                f"indicator {i} ({ind.id}) was stated on {ind.stated_on}, after as_of: ignored"
            )
    for i, j in enumerate(scenario.venues.judgments):
        if j.stated_on > scenario.as_of:
            warnings.append(
                f"venue judgment {i} ({j.id}) was stated on {j.stated_on}, after as_of: ignored"
            )
    for i, ev in enumerate(scenario.events):
        when = ev.announced_on if isinstance(ev, OccasionEvent) else _event_date(ev)
        if when > scenario.as_of:
            warnings.append(f"event {i} is dated {when}, after as_of: ignored (no look-ahead)")
    return warnings


def _event_date(ev: SummitEvent | ExchangeEvent) -> date:
    return ev.date if isinstance(ev, SummitEvent) else (ev.end or ev.start)


def record_for(scenario: Scenario, dataset: Dataset) -> Dataset:
    """The dataset plus the scenario's events, as known at the end of ``as_of``."""
    return with_events(dataset, scenario).known_on(scenario.as_of)


def with_events(dataset: Dataset, scenario: Scenario) -> Dataset:
    """The dataset plus the scenario's events, whatever their dates."""
    summits = list(dataset.summits)
    exchanges = list(dataset.exchanges)
    scheduled = list(dataset.scheduled)
    for i, ev in enumerate(scenario.events):
        common = dict(
            id=f"event-{i}",
            uncertain=False,
            note=ev.note if hasattr(ev, "note") else None,
            source=ev.source,
        )
        if isinstance(ev, SummitEvent):
            summits.append(
                Summit(
                    **common,
                    date=ev.date,
                    dprk_leader="kim_jong_un",
                    russian_leader="putin",
                    site="(scenario event)",
                    venue_class=ev.venue_class,
                    travelled=ev.travelled,
                    multilateral=ev.multilateral,
                )
            )
        elif isinstance(ev, ExchangeEvent):
            exchanges.append(
                Exchange(
                    **common,
                    start=ev.start,
                    end=ev.end or ev.start,
                    date_precision="day",
                    person=ev.person,
                    role=ev.role,
                    rank=ev.rank,
                    direction=ev.direction,
                    place="(scenario event)",
                    met_leader=ev.met_leader,
                )
            )
        else:
            scheduled.append(
                Scheduled(
                    **{**common, "id": ev.id},
                    name=ev.name,
                    start=ev.start,
                    end=ev.end,
                    host="russia"
                    if ev.venue_class.startswith("russia")
                    else ("dprk" if ev.venue_class == "dprk" else "third_country"),
                    venue_class=ev.venue_class,
                    multilateral=ev.multilateral,
                    announced_on=ev.announced_on,
                )
            )
    return replace(
        dataset,
        summits=tuple(sorted(summits, key=lambda s: s.date)),
        exchanges=tuple(sorted(exchanges, key=lambda x: x.start)),
        scheduled=tuple(sorted(scheduled, key=lambda s: s.start)),
    )


def covariates_for(scenario: Scenario) -> list[Covariate]:
    """The timing model's covariates: standing factors (stated or default) and occasion windows.

    Precedence for a prior: the analyst's statement, else the documented default.
    Indicators stated after ``as_of`` are ignored (no look-ahead).
    """
    usable = [i for i in scenario.indicators if i.stated_on <= scenario.as_of]
    stated = {i.effect_on.kind: i for i in usable if isinstance(i.effect_on, FactorTarget)}
    out: list[Covariate] = []
    for name in FACTOR_COVARIATES:
        default = DEFAULT_FACTORS[name]
        prior = (
            _stated_prior(stated[name], default["label"])
            if name in stated
            else prior_from_range(**default)
        )
        out.append(Covariate(name=name, kind=name, prior=prior))
    for ind in usable:
        target = ind.effect_on
        if isinstance(target, FactorTarget):
            continue
        label = f"within -{target.days_before}/+{target.days_after} days of " + ", ".join(
            target.occasions
        )
        prior = _stated_prior(ind, label)
        out.append(
            Covariate(
                name=f"occasion:{ind.id}",
                kind="occasion",
                prior=prior,
                occasions=tuple(target.occasions),
                days_before=target.days_before,
                days_after=target.days_after,
            )
        )
    return out


def _stated_prior(statement: Indicator | VenueJudgment, label: str) -> Prior:
    """The prior an analyst's statement implies (one elicitation for every kind of statement)."""
    return prior_from_range(
        *statement.multiplier,
        statement.confidence,
        label=label,
        origin="stated",
        stated_by=statement.stated_by,
        source=statement.source,
        statement=statement.statement,
    )


def baseline_prior() -> Prior:
    return prior_from_range(**DEFAULT_BASELINE)


def venue_priors(scenario: Scenario) -> tuple[list[Prior], list[Prior]]:
    """Priors on the venue model: alternative-specific constants (vs DPRK) and attribute effects.

    A ``wartime_travel`` statement is about the Moscow-vs-DPRK odds during active war; the
    attribute is ``log(1 + km/1000)``, so the per-unit effect is the stated log multiplier
    divided by Moscow's attribute value.
    """
    usable = [j for j in scenario.venues.judgments if j.stated_on <= scenario.as_of]
    stated = {
        (f"venue:{j.effect_on.venue}" if j.effect_on.kind == "venue" else j.effect_on.kind): j
        for j in usable
    }

    def prior(key: str) -> Prior:
        default = DEFAULT_VENUE[key]
        if key in stated:
            return _stated_prior(stated[key], default["label"])
        return prior_from_range(**default)

    asc = [prior(f"venue:{v}") for v in VENUE_CLASSES[1:]]
    attrs = [prior(a) for a in VENUE_ATTRS]
    capital = TRAVEL_SCALE[VENUE_CLASSES.index("russian_capital")]
    attrs[VENUE_ATTRS.index("wartime_travel")] = attrs[VENUE_ATTRS.index("wartime_travel")].scaled(
        capital
    )
    return asc, attrs
