"""From a scenario and the dataset to the record the model sees, with cross-checks.

:func:`check_scenario` checks what only the dataset can tell (its dyad's venues, sides and
terms, its occasions); :func:`record_for` is the dataset plus the scenario's events, as known
at the end of ``as_of``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from forecast import scenarios
from forecast.config.events import ExchangeEvent, OccasionEvent, SummitEvent
from forecast.config.scenario import FactorTarget, Scenario, read_scenario
from forecast.domain.dyad import BOTH, THIRD
from forecast.domain.record import Dataset, Exchange, Scheduled, Summit, dataset_dir, load_dataset
from forecast.domain.signals import Signal
from forecast.errors import InputError
from forecast.io.safe_read import sha256_bytes
from forecast.terms import timing_kinds

#: At most this many allowed values are listed in a one-line error.
MAX_LISTED = 8


def _one_of(value: str, allowed: list[str], what: str) -> str | None:
    """None if ``value`` is allowed, else the message (with a 'did you mean')."""
    if value in allowed:
        return None
    hint = difflib.get_close_matches(value, allowed, n=1, cutoff=0.5)
    listed = ", ".join(allowed[:MAX_LISTED])
    if len(allowed) > MAX_LISTED:
        listed += f", … ({len(allowed)} in all)"
    return f"unknown {what} {value!r}; " + (
        f"did you mean '{hint[0]}'?" if hint else f"expected one of {listed}"
    )


def _check_dyad(scenario: Scenario, dataset: Dataset, path: str | Path) -> None:
    """Terms, venues and sides the scenario names must be the dataset's dyad's."""
    dyad = dataset.dyad
    where = f"dataset {dataset.meta.name}"
    factors = [k for k in dyad.timing_terms if timing_kinds()[k].target == "factor"]
    for ind in scenario.indicators:
        if isinstance(ind.effect_on, FactorTarget):
            msg = _one_of(ind.effect_on.kind, factors, f"term of {where}:")
            if msg:
                raise InputError(path, f"indicators -> {ind.id} -> effect_on -> kind", msg)
    venue_kinds = ["venue", *dyad.venue_terms]
    for j in scenario.venues.judgments:
        field = f"venues -> judgments -> {j.id} -> effect_on"
        msg = _one_of(j.effect_on.kind, venue_kinds, f"venue effect of {where}:")
        if msg:
            raise InputError(path, f"{field} -> kind", msg)
        if j.effect_on.venue is not None:
            msg = _one_of(j.effect_on.venue, list(dyad.alternatives), f"venue of {where}:")
            if j.effect_on.venue == dyad.home_venue:  # declared, but the odds are against it
                msg = (
                    f"expected a venue class other than {dyad.home_venue!r} (odds are stated "
                    f"against a summit there): one of {', '.join(dyad.alternatives)}"
                )
            if msg:
                raise InputError(path, f"{field} -> venue", msg)
    sides = [s.id for s in dyad.sides]
    for i, ev in enumerate(scenario.events):
        item = ev.id if isinstance(ev, OccasionEvent) else f"#{i + 1}"
        checks = []
        if isinstance(ev, SummitEvent | OccasionEvent):
            checks.append(("venue_class", ev.venue_class, list(dyad.venue_ids), "venue class"))
        if isinstance(ev, SummitEvent):
            checks.append(("travelled", ev.travelled, [*sides, BOTH], "side"))
        if isinstance(ev, ExchangeEvent):
            checks.append(("direction", ev.direction, [f"to_{s}" for s in sides], "direction"))
        for name, value, allowed, what in checks:
            msg = _one_of(value, allowed, f"{what} of {where}:")
            if msg:
                raise InputError(path, f"events -> {item} -> {name}", msg)
    held = {s.id for s in dataset.signals}
    for sig in scenario.signals:
        field = f"signals -> {sig.id}"
        if sig.id in held:
            raise InputError(
                path,
                f"{field} -> id",
                f"dataset {dataset.meta.name} already has a signal {sig.id!r}",
            )
        if sig.travels is not None:
            msg = _one_of(sig.travels, [*sides, BOTH], f"side of {where}:")
            if msg:
                raise InputError(path, f"{field} -> travels", msg)
        if sig.venue_class is not None:
            msg = _one_of(sig.venue_class, list(dyad.venue_ids), f"venue class of {where}:")
            if msg:
                raise InputError(path, f"{field} -> venue_class", msg)
    try:
        resolve_windows(scenario, record_for(scenario, dataset))
    except ValueError as exc:
        index, message = exc.args
        raise InputError(
            path, f"windows -> {scenario.windows[index].name} -> signal", message
        ) from None
    if scenario.ceasefire.assumption != "war_continues" and "ceasefire" not in dyad.timing_terms:
        raise InputError(
            path,
            "ceasefire -> assumption",
            f"{where} has no war or ceasefire term; expected 'war_continues' or no 'ceasefire'",
        )


def check_scenario(scenario: Scenario, dataset: Dataset, path: str | Path) -> list[str]:
    """Cross-check a scenario against the dataset; return warnings, raise on errors."""
    meta = dataset.meta
    if scenario.dataset != meta.name:
        raise InputError(
            path, "dataset", f"the scenario names {scenario.dataset!r}, the data are {meta.name!r}"
        )
    _check_dyad(scenario, dataset, path)
    if scenario.as_of < meta.coverage_start:
        raise InputError(
            path, "as_of", f"expected a date on or after the dataset's start {meta.coverage_start}"
        )
    today = date.today()
    if scenario.as_of > today:
        raise InputError(
            path,
            "as_of",
            f"expected a date no later than today ({today}): a forecast is made from what is "
            f"known on as_of, and nothing is known yet about {scenario.as_of}",
        )
    known = with_events(dataset, scenario).occasion_ids
    for ind in scenario.indicators:
        if isinstance(ind.effect_on, FactorTarget):
            continue
        for k, occ in enumerate(ind.effect_on.occasions):
            if occ not in known:
                hint = difflib.get_close_matches(occ, known, n=1, cutoff=0.5)
                if hint:
                    expected = f"did you mean '{hint[0]}'?"
                elif known:
                    expected = f"expected one of {', '.join(known)}"
                else:  # not an empty 'expected one of'
                    expected = f"dataset {meta.name} has no occasions (add one under 'events')"
                msg = f"unknown occasion {occ!r}; {expected}"
                raise InputError(
                    path, f"indicators -> {ind.id} -> effect_on -> occasions -> #{k + 1}", msg
                )
    claimed: dict[str, str] = {}
    for ind in scenario.indicators:
        if not isinstance(ind.effect_on, FactorTarget):
            for occ in ind.effect_on.occasions:
                if occ in claimed:
                    raise InputError(
                        path,
                        f"indicators -> {ind.id} -> effect_on -> occasions",
                        f"occasion {occ!r} is already used by indicator {claimed[occ]!r}",
                    )
                claimed[occ] = ind.id
    warnings: list[str] = []
    gap = (scenario.as_of - meta.coverage_end).days
    if gap > 0:
        warnings.append(
            f"as_of {scenario.as_of} is {gap} days after the dataset's coverage end "
            f"{meta.coverage_end}: summits and exchanges in that gap are unknown unless listed "
            "under 'events'; the model treats the gap as having none besides those."
        )
    for ind in scenario.indicators:
        if ind.stated_on > scenario.as_of:
            warnings.append(
                f"indicator {ind.id} was stated on {ind.stated_on}, after as_of: ignored"
            )
    for j in scenario.venues.judgments:
        if j.stated_on > scenario.as_of:
            warnings.append(
                f"venue judgment {j.id} was stated on {j.stated_on}, after as_of: ignored"
            )
    for i, ev in enumerate(scenario.events):
        when = ev.announced_on if isinstance(ev, OccasionEvent) else _event_date(ev)
        if when > scenario.as_of:
            warnings.append(f"event #{i + 1} is dated {when}, after as_of: ignored (no look-ahead)")
    return warnings


def _event_date(ev: SummitEvent | ExchangeEvent) -> date:
    return ev.date if isinstance(ev, SummitEvent) else (ev.end or ev.start)


def resolve_windows(scenario: Scenario, record: Dataset) -> Scenario:
    """The scenario with every ``signal`` window replaced by its dates: from the later of the
    signal's window start (or its date) and the day after ``as_of``, to its window end.

    ``record`` is the record as known on ``as_of`` (:func:`record_for`). Raises ValueError
    with ``(window index, message)`` for a signal that is unknown then, states no window, or
    whose window is not inside the horizon.
    """
    if all(w.signal is None for w in scenario.windows):
        return scenario
    known = {s.id: s for s in record.signals}
    first = scenario.as_of + timedelta(days=1)
    windows = []
    for i, w in enumerate(scenario.windows):
        if w.signal is None:
            windows.append(w)
            continue
        sig = known.get(w.signal)
        if sig is None:
            hint = difflib.get_close_matches(w.signal, list(known), n=1, cutoff=0.6)
            raise ValueError(
                i,
                f"no signal {w.signal!r} is known on {scenario.as_of}"
                + (f"; did you mean '{hint[0]}'?" if hint else ""),
            )
        if sig.window_end is None:
            raise ValueError(i, f"signal {w.signal!r} states no window (no window_end)")
        start = max(sig.window_from, first)
        if sig.window_end < first or sig.window_end > scenario.horizon_end:
            raise ValueError(
                i,
                f"signal {w.signal!r} states {sig.window_from} .. {sig.window_end}, expected a "
                f"window ending inside the horizon {first} .. {scenario.horizon_end}",
            )
        windows.append(w.model_copy(update={"start": start, "end": sig.window_end, "signal": None}))
    return scenario.model_copy(update={"windows": windows})


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
                    leader_a=dataset.dyad.leaders[0].id,
                    leader_b=dataset.dyad.leaders[1].id,
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
                    host=dataset.dyad.venue_side(ev.venue_class) or THIRD,
                    venue_class=ev.venue_class,
                    multilateral=ev.multilateral,
                    announced_on=ev.announced_on,
                )
            )
    signals = list(dataset.signals) + [
        Signal(**sig.model_dump(), uncertain=False, episode=None) for sig in scenario.signals
    ]
    return replace(
        dataset,
        summits=tuple(sorted(summits, key=lambda s: s.date)),
        exchanges=tuple(sorted(exchanges, key=lambda x: x.start)),
        scheduled=tuple(sorted(scheduled, key=lambda s: s.start)),
        signals=tuple(sorted(signals, key=lambda s: s.date)),
    )


@dataclass
class Checked:
    scenario: Scenario
    dataset: Dataset
    warnings: list[str]
    scenario_sha256: str
    path: Path
    #: the scenario file's bytes, exactly as read once, hashed and parsed (copied into a run)
    raw: bytes = b""


def scenario_file(name: str | Path) -> Path:
    """The scenario file a command names: a path, or the name of a shipped scenario
    (``june-anniversary``, with or without ``.yaml``) when no such file exists, so an installed
    package runs its defaults from any directory."""
    path = Path(name)
    if path.exists() or path.parent != Path("."):
        return path
    shipped = scenarios.path(path.name if path.suffix == ".yaml" else f"{path.name}.yaml")
    return shipped if shipped.is_file() else path


def validate(path: str | Path, data_dir: str | Path | None = None) -> Checked:
    """Load and cross-check a scenario and the dataset without sampling (no PyMC import).

    ``path`` is a scenario file or a shipped scenario's name (:func:`scenario_file`).
    """
    path = scenario_file(path)
    scenario, raw = read_scenario(path)
    if data_dir is None:
        data_dir = dataset_dir(scenario.dataset, source=path, field="dataset")
    dataset = load_dataset(data_dir)
    warnings = check_scenario(scenario, dataset, path)
    return Checked(scenario, dataset, warnings, sha256_bytes(raw), path, raw)
