"""The scenario file: plain, validated data (no PyMC here).

A scenario states the question (as-of date, horizon, windows of interest), the assumption about
the war over the horizon, the analysts' indicators with their stated effects, events the dataset
does not hold, venue judgments and sampler settings. :func:`load_scenario` reads and validates
one; every problem becomes an :class:`~forecast.errors.InputError` naming the file and field.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    Tag,
    ValidationError,
    field_validator,
    model_validator,
)

from forecast.config.ceasefire import Ceasefire
from forecast.config.errors import At
from forecast.config.events import Event, SignalEntry
from forecast.config.fields import (
    MAX_HORIZON_DAYS,
    MULTIPLIER_BOUNDS,
    Day,
    Number,
    Slug,
    Strict,
    Text,
    unique,
)
from forecast.config.scenario_errors import scenario_input_error
from forecast.config.yaml_loader import parse_yaml
from forecast.errors import InputError
from forecast.io.safe_read import decode_text, read_input, sha256_bytes


class Window(Strict):
    """A period the analyst cares about; the forecast reports P(next summit inside it).

    ``signal`` instead of ``start`` and ``end`` takes the window a signal states (a row of the
    dataset's ``signals.csv`` or of the scenario's ``signals``), from the day after ``as_of``
    at the earliest (:func:`forecast.design.inputs.resolve_windows`).
    """

    name: Annotated[str, Field(min_length=1, max_length=80)]
    start: Day | None = None
    end: Day | None = None
    signal: Slug | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.signal is not None and (self.start is not None or self.end is not None):
            raise ValueError("expected either 'signal' or 'start' and 'end', not both")
        if self.signal is None and (self.start is None or self.end is None):
            raise ValueError("expected 'start' and 'end' (or 'signal' naming a signal's window)")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"expected start <= end (got start {self.start}, end {self.end})")
        return self


class _Stated(Strict):
    """An analyst's statement of an effect as a multiplier range and a confidence."""

    id: Slug
    statement: Text
    multiplier: tuple[Number, Number]
    confidence: Annotated[Number, Field(ge=0.5, le=0.99)]
    stated_by: Text
    stated_on: Day
    source: Text

    @field_validator("multiplier")
    @classmethod
    def _range(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        lo_bound, hi_bound = MULTIPLIER_BOUNDS
        if not (lo_bound <= low <= hi_bound and lo_bound <= high <= hi_bound):
            raise ValueError(
                f"expected multipliers between {lo_bound:g} and {hi_bound:g} "
                f"(got [{low:g}, {high:g}])"
            )
        if not low < high:
            raise ValueError(f"expected [low, high] with low < high (got [{low:g}, {high:g}])")
        return value


class OccasionTarget(Strict):
    """A window around named occasions (recurring dates or scheduled events such as 'eef')."""

    kind: Literal["occasion"]
    occasions: Annotated[list[Slug], Field(min_length=1)]
    days_before: Annotated[StrictInt, Field(ge=0, le=90)] = 7
    days_after: Annotated[StrictInt, Field(ge=0, le=90)] = 7


class FactorTarget(Strict):
    """One of the model's standing terms, by its kind (checked against the dataset's dyad and
    the term registry once the dataset is known: :func:`forecast.design.inputs.check_scenario`)."""

    kind: Slug


def _target_tag(value: Any) -> str:
    kind = value.get("kind") if isinstance(value, dict) else getattr(value, "kind", None)
    return "occasion" if kind == "occasion" else "factor"


Target = Annotated[
    Annotated[OccasionTarget, Tag("occasion")] | Annotated[FactorTarget, Tag("factor")],
    Discriminator(_target_tag),
]


class Indicator(_Stated):
    """'A summit is 2–6x more likely inside the anniversary window, 80% sure.'"""

    effect_on: Target


class VenueTarget(Strict):
    """``kind: venue`` with ``venue``: that venue's odds against the dataset's home venue;
    any other kind names a venue term of the dataset's dyad (e.g. ``host_turn``)."""

    kind: Slug
    venue: Slug | None = None

    @model_validator(mode="after")
    def _venue_given(self) -> Self:
        if self.kind == "venue" and self.venue is None:
            raise ValueError(
                "expected 'venue' naming a venue class other than the home venue "
                "(odds are stated against a summit at the home venue)"
            )
        if self.kind != "venue" and self.venue is not None:
            raise ValueError("'venue' is only allowed when kind is 'venue'")
        return self


class VenueJudgment(_Stated):
    """'Before a peace deal a meeting is likelier in the Russian Far East than in Moscow.'"""

    effect_on: VenueTarget


class Venues(Strict):
    judgments: list[VenueJudgment] = []
    include_earlier_leaders: StrictBool = True


class ModelSettings(Strict):
    """Fixed structural settings of the timing model (documented in docs/model.md)."""

    exchange_half_life_days: Annotated[Number, Field(ge=7, le=730)] = 60.0
    anniversary_window_days: Annotated[StrictInt, Field(ge=0, le=60)] = 7
    scheduled_window_days: Annotated[StrictInt, Field(ge=0, le=60)] = 3
    min_gap_days: Annotated[StrictInt, Field(ge=1, le=365)] = 60
    #: The signal terms (announcements, reports, preparations, denials; docs/model.md §3.5)
    #: enter the model only when true (off by default: the monthly track that validates the
    #: year-ahead scenarios was measured without them). A year ahead of 2026-02-26,
    #: before-ceasefire gives 33% with them (8% from the live news alone, without the news to
    #: come) against 42% without them.
    signals: StrictBool = False
    #: With the signal terms on, the horizon also expects the news still to come, as often and
    #: as weighty as in the record (docs/model.md §3.5, forecast/design/news.py); false gives
    #: the forecast from the live news alone.
    news_to_come: StrictBool = True
    #: Signals the fact sheet marks uncertain (U) enter the signal terms only when true.
    include_uncertain_signals: StrictBool = False


class Sampler(Strict):
    draws: Annotated[StrictInt, Field(ge=10, le=100_000)] = 500
    tune: Annotated[StrictInt, Field(ge=10, le=100_000)] = 500
    chains: Annotated[StrictInt, Field(ge=1, le=16)] = 4
    seed: Annotated[StrictInt, Field(ge=0, le=2**32 - 1)] = 20260226
    target_accept: Annotated[Number, Field(ge=0.5, le=0.999)] = 0.9
    #: NUTS implementation: numpyro (JAX, the default), PyMC's own (the reference) or nutpie.
    backend: Literal["numpyro", "pymc", "nutpie"] = "numpyro"


class Scenario(Strict):
    """A validated scenario file."""

    schema_version: Literal[1]
    name: Slug
    dataset: Slug = "kim-putin"
    question: Text
    as_of: Day
    horizon_end: Day
    windows: Annotated[list[Window], Field(min_length=1, max_length=50)]
    ceasefire: Ceasefire = Ceasefire(assumption="war_continues")
    indicators: list[Indicator] = []
    events: list[Event] = []
    signals: list[SignalEntry] = []
    venues: Venues = Venues()
    model: ModelSettings = ModelSettings()
    sampler: Sampler = Sampler()

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.horizon_end <= self.as_of:
            raise At(("horizon_end",), f"expected a date after as_of {self.as_of}")
        if (self.horizon_end - self.as_of).days > MAX_HORIZON_DAYS:
            raise At(("horizon_end",), "expected a horizon of at most 5 years after as_of")
        first = self.as_of + timedelta(days=1)
        for i, w in enumerate(self.windows):
            if w.signal is not None:
                continue  # checked once the signal is known (design.inputs.check_scenario)
            if w.start < first or w.end > self.horizon_end:
                raise At(
                    ("windows", i),
                    f"expected a window inside the horizon {first} .. {self.horizon_end} "
                    f"(got {w.start} .. {w.end})",
                )
        unique(self.windows, "name", "windows")
        unique(self.indicators, "id", "indicators")
        unique(self.venues.judgments, "id", "venues", "judgments")
        unique(self.signals, "id", "signals")
        for i, sig in enumerate(self.signals):
            if sig.date > self.as_of:
                raise At(
                    ("signals", i, "date"),
                    f"expected a date on or before as_of {self.as_of} (a signal is news already "
                    "public; later news belongs to a later as_of)",
                )
        seen: dict[str, int] = {}
        for i, ind in enumerate(self.indicators):
            if isinstance(ind.effect_on, FactorTarget):
                kind = ind.effect_on.kind
                if kind in seen:
                    raise At(
                        ("indicators", i, "effect_on", "kind"),
                        f"'{kind}' is already stated by indicator {seen[kind]}; "
                        "state each covariate once",
                    )
                seen[kind] = i
        vseen: dict[tuple, int] = {}
        for i, j in enumerate(self.venues.judgments):
            key = (j.effect_on.kind, j.effect_on.venue)
            if key in vseen:
                raise At(
                    ("venues", "judgments", i, "effect_on"),
                    f"this effect is already stated by judgment {vseen[key]}",
                )
            vseen[key] = i
        if self.signals and not self.model.signals:
            raise At(
                ("signals",),
                "the signal terms are off; set 'model: {signals: true}' to use signals "
                "(they suit questions about the next weeks, docs/model.md §3.5)",
            )
        for loc, day in self.ceasefire.dates():
            if not self.as_of < day <= self.horizon_end:
                raise At(
                    loc,
                    f"expected a date after as_of and on or before horizon_end "
                    f"({first} .. {self.horizon_end}); the assumption is about the horizon only",
                )
        return self


# The union member a callable discriminator selects (``effect_on``: anything but an occasion is
# a factor) has no Literal 'kind' field to read its tag from, so its tag is given here.
_CALLABLE_TAGS = {FactorTarget: ("factor",)}


# --------------------------------------------------------------------------- loading


def scenario_sha256(path: str | Path) -> str:
    """Content hash of a scenario file, as stamped on every output (the file is read once, as a
    regular file of at most 1 MiB)."""
    return sha256_bytes(read_input(path))


def parse_scenario(data: Any, source: str | Path = "<scenario>") -> Scenario:
    """Validate already-loaded data; raise :class:`InputError` naming the first problem."""
    if not isinstance(data, dict):
        got = "an empty file" if data is None else f"a {type(data).__name__}"
        raise InputError(source, None, f"expected a mapping of scenario keys, got {got}")
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise scenario_input_error(exc, source, data, model=Scenario, tags=_CALLABLE_TAGS) from None


def load_scenario(path: str | Path, data: bytes | None = None) -> Scenario:
    """Read and validate a scenario YAML file.

    Parameters
    ----------
    path
        The file, named in every message; read once unless ``data`` is given.
    data
        The file's bytes, already read with :func:`~forecast.io.safe_read.read_input` (the
        bytes a caller hashes and copies are then the bytes parsed).
    """
    if data is None:
        data = read_input(path)
    return parse_scenario(parse_yaml(decode_text(data, path), path), path)


def read_scenario(path: str | Path) -> tuple[Scenario, bytes]:
    """Read a scenario file once: the validated scenario and the exact bytes it was parsed from.

    The file must be a regular file of at most 1 MiB (a named pipe, a device or a larger file is
    refused before anything is parsed); its line endings and any byte-order mark are kept, so
    the bytes hashed, parsed and copied into a run directory are the same.
    """
    data = read_input(path)
    return load_scenario(path, data), data
