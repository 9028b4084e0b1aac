"""The parts of ``forecast.json``: its value types and one model per section.

The value types are the file's scalars as the models check them: dates as ``YYYY-MM-DD`` text
only, finite numbers (ints accepted, bools and text not), probabilities in [0, 1], counts,
non-empty names, SHA-256 hashes and ``YYYY-MM`` months. The models are the sections and list
entries of the file (the headline, a ``by_date`` point, a window and its venue mix, an effect,
the diagnostics, ...), each frozen and refusing unknown keys, each with the checks that need
only its own fields (``lo <= hi``, a window's ``start <= end``). The whole document, with the
checks across sections, is :class:`forecast.io.document.ForecastDocument`.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    WithJsonSchema,
    model_validator,
)

from forecast.config.errors import At
from forecast.io.document_errors import show_json

# --------------------------------------------------------------------------- value types

DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _iso_date(value: Any) -> Any:
    """A date, from ``YYYY-MM-DD`` text only (no timestamps, no times, no numbers)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        raise ValueError(f"expected a real date as YYYY-MM-DD (got {show_json(value)})")
    raise ValueError(f"expected a date as YYYY-MM-DD text (got {show_json(value)})")


def _probability(value: float) -> float:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"expected a probability between 0 and 1 (got {value!r})")
    return value


IsoDate = Annotated[
    date,
    BeforeValidator(_iso_date),
    WithJsonSchema({"type": "string", "format": "date", "pattern": DATE_PATTERN}),
]
Finite = Annotated[float, Strict(), AllowInfNan(False)]  # ints are accepted, bools and text not
NonNegative = Annotated[Finite, Field(ge=0.0)]
Positive = Annotated[Finite, Field(gt=0.0)]
Probability = Annotated[
    Finite,
    AfterValidator(_probability),
    Field(json_schema_extra={"minimum": 0.0, "maximum": 1.0}),
]
Count = Annotated[int, Strict(), Field(ge=0)]
Name = Annotated[str, Strict(), Field(min_length=1)]
Sha256 = Annotated[str, Strict(), Field(pattern=r"^[0-9a-f]{64}$")]
Month = Annotated[str, Strict(), Field(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$")]


def is_none(value: Any) -> bool:
    """Whether a value is None: an optional field's ``exclude_if``, so None leaves it out."""
    return value is None


# --------------------------------------------------------------------------- models


class DocumentModel(BaseModel):
    """Base of every model of ``forecast.json``: frozen, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class _Summary(DocumentModel):
    """Shared check of every summary with an 80% interval: ``lo <= hi``."""

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        lo, hi = self.lo, self.hi  # type: ignore[attr-defined]
        if lo > hi:
            raise ValueError(f"expected lo <= hi (got lo {lo!r}, hi {hi!r})")
        return self


class Interval(_Summary):
    """A summary: posterior mean ``p`` and the 10% and 90% quantiles ``lo``, ``hi`` over draws."""

    p: Probability
    lo: Probability
    hi: Probability


class FirstWindow(_Summary):
    """``headline.first_window``: the summary of the first window listed in the scenario."""

    name: Name
    p: Probability
    lo: Probability
    hi: Probability


class Headline(DocumentModel):
    by_horizon_end: Interval
    first_window: FirstWindow


class DateQuantiles(DocumentModel):
    """First dates the posterior-mean CDF reaches 0.1 and 0.9; null when beyond the horizon."""

    q10: IsoDate | None
    q90: IsoDate | None


class DatePoint(_Summary):
    """One ``by_date`` entry: P(next summit on or before ``date``)."""

    date: IsoDate
    p: Probability
    lo: Probability
    hi: Probability


class MonthPoint(_Summary):
    """One ``by_month`` entry: P(next summit in ``month``), the month clipped to the horizon."""

    month: Month
    p: Probability
    lo: Probability
    hi: Probability


class VenueShare(_Summary):
    """One venue class of a venue mix."""

    venue: Name
    p: Probability
    lo: Probability
    hi: Probability


class Window(_Summary):
    """One scenario window: P(the next summit falls in [start, end]) and its venue mix."""

    name: Name
    start: IsoDate
    end: IsoDate
    p: Probability
    lo: Probability
    hi: Probability
    p_none_before: Probability
    venues: tuple[VenueShare, ...]

    @model_validator(mode="after")
    def _dates(self) -> Self:
        if self.end < self.start:
            raise At(("end",), f"expected a date on or after start {self.start}")
        return self


class LastSummit(DocumentModel):
    date: IsoDate
    venue_class: Name
    site: str


class Multiplier(_Summary):
    """Posterior median and 10%/90% quantiles of an effect's multiplier (not probabilities)."""

    p50: NonNegative
    lo: NonNegative
    hi: NonNegative


class Effect(DocumentModel):
    """One prior beside its posterior (docs/forecast-json.md §1.6)."""

    group: Literal["timing", "venue"]
    name: Name
    label: str
    origin: Literal["stated", "default"]
    stated_by: str | None
    source: str | None
    stated_range: tuple[Positive, Positive]
    confidence: Probability
    prior_log_mu: Finite
    prior_log_sigma: Positive
    posterior_multiplier: Multiplier

    @model_validator(mode="after")
    def _range(self) -> Self:
        low, high = self.stated_range
        if not low < high:
            raise At(
                ("stated_range",), f"expected [low, high] with low < high (got {low!r}, {high!r})"
            )
        return self


class Diagnostics(DocumentModel):
    rhat_max: NonNegative | None  # null with one chain
    ess_bulk_min: NonNegative
    ess_tail_min: NonNegative
    divergences: Count
    chains: Annotated[Count, Field(ge=1)]
    draws: Annotated[Count, Field(ge=1)]
    sampling_seconds: NonNegative
    problems: tuple[str, ...]


class SamplerSettings(DocumentModel):
    """The sampler settings used, after command-line overrides."""

    draws: Annotated[Count, Field(ge=1)]
    tune: Count
    chains: Annotated[Count, Field(ge=1)]
    seed: Count
    target_accept: Annotated[Finite, Field(gt=0.0, lt=1.0)]
    backend: Name | None = Field(default=None, exclude_if=is_none)  # left out when None


class DataSummary(DocumentModel):
    coverage_start: IsoDate
    coverage_end: IsoDate
    summits_in_fit: Count
    venue_summits: Count
    exchanges_known: Count
    segments: Count

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.coverage_end < self.coverage_start:
            raise At(
                ("coverage_end",),
                f"expected a date on or after coverage_start {self.coverage_start}",
            )
        return self


class Stamp(DocumentModel):
    """What every file of a run carries: the version, the inputs' content hashes and the run
    identity (a content hash of the posterior draws, the sampler settings and the seed), which
    tells two runs of one scenario apart. ``run_id`` is absent only in files written before it
    existed; :func:`~forecast.io.rundir.load_run` refuses those."""

    version: Name
    scenario_sha256: Sha256
    data_sha256: Sha256
    run_id: Sha256 | None = Field(default=None, exclude_if=is_none)  # left out when None


class HorizonPathInfo(DocumentModel):
    """One path of the horizon's ensemble: its label, weight and ceasefire start (or none)."""

    label: Name
    weight: Annotated[Probability, Field(gt=0.0)]
    ceasefire_start: IsoDate | None


class Ceasefire(DocumentModel):
    """The scenario's assumption about the war over the horizon; for ``uncertain``, the paths
    the forecast mixed (weights summing to 1)."""

    assumption: Literal["war_continues", "ceasefire", "uncertain"]
    start: IsoDate | None
    paths: tuple[HorizonPathInfo, ...] | None = Field(default=None, exclude_if=is_none)

    @model_validator(mode="after")
    def _start_matches(self) -> Self:
        if self.assumption == "ceasefire" and self.start is None:
            raise At(("start",), "expected a date when assumption is 'ceasefire'")
        if self.assumption != "ceasefire" and self.start is not None:
            raise At(("start",), f"expected null when assumption is {self.assumption!r}")
        if self.assumption == "uncertain":
            if not self.paths:
                raise At(("paths",), "expected the horizon's paths when assumption is 'uncertain'")
            total = sum(p.weight for p in self.paths)
            if abs(total - 1.0) > 1e-6:
                raise At(("paths",), f"expected path weights summing to 1 (got {total!r})")
        elif self.paths is not None:
            raise At(("paths",), "expected no paths unless assumption is 'uncertain'")
        return self

    def describe(self) -> str:
        """The assumption in words, e.g. "uncertain: a ceasefire within the horizon with
        probability 30% (8 weighted paths), else the war continues"."""
        if self.assumption == "war_continues":
            return "the war continues"
        if self.assumption == "ceasefire":
            return f"ceasefire from {_day(self.start)}"
        starts = [p for p in self.paths if p.ceasefire_start is not None]
        p_cease = sum(p.weight for p in starts)
        if not starts:
            return f"uncertain ({len(self.paths)} alternatives, none with a ceasefire)"
        return (
            f"uncertain: a ceasefire within the horizon with probability {100 * p_cease:.0f}% "
            f"({len(self.paths)} weighted paths), else the war continues"
        )


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


class DyadInfo(DocumentModel):
    """Who the forecast is about: the two leaders, and a label for each venue class id (in the
    order the venue mixes list them)."""

    leaders: tuple[Name, Name]
    pair: Name | None = Field(default=None, exclude_if=is_none)  # "Kim–Putin"; left out when None
    venue_labels: Annotated[dict[Name, Name], Field(min_length=1)]


class DecompositionTerm(DocumentModel):
    """One timing term's multiplier of the horizon's hazard (:mod:`forecast.decompose`)."""

    name: Name
    label: str
    kind: Name
    multiplier: Multiplier


#: A term whose |log multiplier| is below this in every draw does not act on the horizon.
INERT = 1e-9


class Decomposition(DocumentModel):
    """What drives the number: the horizon's expected cumulative hazard as baseline × the
    terms' multipliers × the effective exposure, each a posterior median and 80% interval."""

    total_hazard: Multiplier
    baseline_per_year: Multiplier
    exposure_years: Multiplier
    terms: tuple[DecompositionTerm, ...]
    #: With announced meetings on the horizon: their share of the total hazard (the rest is
    #: baseline × multipliers × exposure; docs/model.md §3.5).
    announced_share: Multiplier | None = Field(default=None, exclude_if=is_none)

    def acting(self) -> tuple[list[DecompositionTerm], list[DecompositionTerm]]:
        """The terms that act on the horizon, largest effect (|log multiplier| of the median)
        first, and those that do not: exactly 1× in every draw, i.e. |log| of the median and
        of both interval ends below :data:`INERT` (zero over the whole horizon, such as a
        ceasefire while the war continues)."""
        acting, inert = [], []
        for t in self.terms:
            m = t.multiplier
            if max(abs(math.log(m.lo)), abs(math.log(m.hi)), abs(math.log(m.p50))) < INERT:
                inert.append(t)
            else:
                acting.append(t)
        acting.sort(key=lambda t: -abs(math.log(t.multiplier.p50)))
        return acting, inert
