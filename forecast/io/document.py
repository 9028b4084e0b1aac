"""``forecast.json`` as a typed, validated document (schema ``summit-forecast/forecast.json/1``).

:class:`ForecastDocument` is the whole file as a frozen pydantic model: every key of
docs/forecast-json.md §1, typed as it is written today, and nothing else (unknown keys are an
error). Dates are :class:`datetime.date` in Python and ``YYYY-MM-DD`` text in the file;
probabilities are finite numbers in [0, 1]; the one number that may be null is
``diagnostics.rhat_max`` (with one chain). Beyond the types it checks what the file promises:

* ``by_date`` is non-empty, its dates increase and lie in ``as_of``+1 … ``horizon_end``, and its
  last entry is ``headline.by_horizon_end``;
* ``headline.first_window`` is ``windows[0]``;
* window names are unique, windows lie inside the horizon with ``start <= end``;
* each venue mix lists each venue class once and its ``p`` sum to 1;
* every summary has ``lo <= hi`` (``p`` is a mean and may lie outside ``[lo, hi]``).

:func:`read_document` reads and checks a file; every problem is an
:class:`~forecast.errors.InputError` on one line that names the field, with list entries named
by their ``name``/``venue``/``date``/``month`` (``windows -> June 2025 -> p``), worded by
:mod:`forecast.io.document_errors`. The value types and the section models are in
:mod:`forecast.io.document_parts`; their names are importable from here as well.
:meth:`ForecastDocument.to_json` writes the file exactly as ``forecast run`` does today, so
``read_document(p).to_json()`` reproduces ``p`` byte for byte.

Additions for datasets other than Kim–Putin validate when present and are left out of the file
when absent, so files written before them still validate and round-trip: ``dataset``, ``dyad``
(the two leaders, the pair's short name, a label for each venue class id) and
``sampler.backend``; ``ceasefire`` may be null (a dyad without a war/ceasefire term). Venue ids
are not a fixed vocabulary: every venue mix must list the top-level ``venues``' ids in the same
order, and with ``dyad`` exactly the ids it labels.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field, ValidationError, model_validator

from forecast.config.errors import At
from forecast.errors import InputError
from forecast.io.document_errors import ITEM_KEYS as ITEM_KEYS
from forecast.io.document_errors import json_kind, pydantic_error_to_input_error, show_json
from forecast.io.document_parts import DATE_PATTERN as DATE_PATTERN
from forecast.io.document_parts import (
    Ceasefire,
    DataSummary,
    DatePoint,
    DateQuantiles,
    Decomposition,
    Diagnostics,
    DocumentModel,
    DyadInfo,
    Effect,
    Headline,
    IsoDate,
    LastSummit,
    MonthPoint,
    Name,
    SamplerSettings,
    Stamp,
    VenueShare,
    Window,
    is_none,
)
from forecast.io.document_parts import Count as Count
from forecast.io.document_parts import DecompositionTerm as DecompositionTerm
from forecast.io.document_parts import Finite as Finite
from forecast.io.document_parts import FirstWindow as FirstWindow
from forecast.io.document_parts import HorizonPathInfo as HorizonPathInfo
from forecast.io.document_parts import Interval as Interval
from forecast.io.document_parts import Month as Month
from forecast.io.document_parts import Multiplier as Multiplier
from forecast.io.document_parts import NonNegative as NonNegative
from forecast.io.document_parts import Positive as Positive
from forecast.io.document_parts import Probability as Probability
from forecast.io.document_parts import Sha256 as Sha256
from forecast.io.document_signals import AnnouncedMeetings, LiveSignal, NewsToComeSummary
from forecast.io.safe_read import decode_text, read_input

FORECAST_SCHEMA = "summit-forecast/forecast.json/1"
MAX_BYTES = 16 << 20  # a five-year horizon with 50 windows is well under 1 MiB
HEADLINE_TOLERANCE = 1e-9  # headline vs the last by_date entry, first_window vs windows[0]
SHARE_TOLERANCE = 1e-6  # venue shares summing to 1

# --------------------------------------------------------------------------- the document


class ForecastDocument(DocumentModel):
    """The whole ``forecast.json`` (docs/forecast-json.md §1), in the order it is written."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_by_alias=True,
        validate_by_name=True,
        serialize_by_alias=True,
    )

    schema_id: Literal["summit-forecast/forecast.json/1"] = Field(alias="schema")
    scenario: Name
    question: str
    as_of: IsoDate
    horizon_end: IsoDate
    dataset: Name | None = Field(default=None, exclude_if=is_none)  # left out when None
    dyad: DyadInfo | None = Field(default=None, exclude_if=is_none)  # left out when None
    ceasefire: Ceasefire | None  # null for a dyad without a war/ceasefire term
    headline: Headline
    median_date: IsoDate | None
    date_quantiles: DateQuantiles
    by_date: Annotated[tuple[DatePoint, ...], Field(min_length=1)]
    by_month: Annotated[tuple[MonthPoint, ...], Field(min_length=1)]
    windows: Annotated[tuple[Window, ...], Field(min_length=1)]
    venues: tuple[VenueShare, ...]
    last_summit: LastSummit | None
    effects: tuple[Effect, ...]
    decomposition: Decomposition | None = Field(default=None, exclude_if=is_none)
    diagnostics: Diagnostics
    sampler: SamplerSettings
    data: DataSummary
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...]
    stamp: Stamp
    #: the SHA-256 of the run's posterior.nc file, as written (absent in older files)
    posterior_sha256: Sha256 | None = Field(default=None, exclude_if=is_none)
    # the news live on as_of; left out when there is none, so older files read the same
    signals: tuple[LiveSignal, ...] = Field(default=(), exclude_if=lambda v: not v)
    #: with the signal terms on: the probability that an announcement is kept
    announced: AnnouncedMeetings | None = Field(default=None, exclude_if=is_none)
    #: ``q_f``, a time-framed signal borne out, in the same form (with the signal terms).
    framed: AnnouncedMeetings | None = Field(default=None, exclude_if=is_none)
    #: with the signal terms and the news still to come on: the forecast without that news
    news_to_come: NewsToComeSummary | None = Field(default=None, exclude_if=is_none)

    # ------------------------------------------------------------------ cross-field checks

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.horizon_end <= self.as_of:
            raise At(("horizon_end",), f"expected a date after as_of {self.as_of}")
        first, last = self.as_of + timedelta(days=1), self.horizon_end
        horizon = f"the horizon {first} .. {last}"

        def inside(day: date | None, loc: tuple) -> None:
            if day is not None and not first <= day <= last:
                raise At(loc, f"expected a date inside {horizon} (got {day})")

        for i, point in enumerate(self.by_date):
            inside(point.date, ("by_date", i, "date"))
            if i and point.date <= self.by_date[i - 1].date:
                raise At(
                    ("by_date", i, "date"),
                    f"expected dates in increasing order (got {point.date} after "
                    f"{self.by_date[i - 1].date})",
                )
        end = self.by_date[-1]
        for key in ("p", "lo", "hi"):
            head, tail = getattr(self.headline.by_horizon_end, key), getattr(end, key)
            if abs(head - tail) > HEADLINE_TOLERANCE:
                raise At(
                    ("headline", "by_horizon_end", key),
                    f"expected the last by_date {key} ({tail!r} on {end.date}), got {head!r}",
                )
        for i, month in enumerate(self.by_month):
            if i and month.month <= self.by_month[i - 1].month:
                raise At(
                    ("by_month", i, "month"),
                    f"expected months in increasing order (got {month.month} after "
                    f"{self.by_month[i - 1].month})",
                )
        inside(self.median_date, ("median_date",))
        inside(self.date_quantiles.q10, ("date_quantiles", "q10"))
        inside(self.date_quantiles.q90, ("date_quantiles", "q90"))
        cf = self.ceasefire
        if cf is not None and cf.start is not None and not first <= cf.start <= last:
            raise At(("ceasefire", "start"), f"expected a date inside {horizon}")
        for i, path in enumerate((cf.paths or ()) if cf is not None else ()):
            inside(path.ceasefire_start, ("ceasefire", "paths", i, "ceasefire_start"))

        _unique([w.name for w in self.windows], "windows", "name", "window name")
        for i, w in enumerate(self.windows):
            if w.start < first or w.end > last:
                raise At(
                    ("windows", i),
                    f"expected a window inside {horizon} (got {w.start} .. {w.end})",
                )
        fw, w0 = self.headline.first_window, self.windows[0]
        if fw.name != w0.name:
            raise At(
                ("headline", "first_window", "name"),
                f"expected the first window's name {w0.name!r}, got {fw.name!r}",
            )
        for key in ("p", "lo", "hi"):
            if abs(getattr(fw, key) - getattr(w0, key)) > HEADLINE_TOLERANCE:
                raise At(
                    ("headline", "first_window", key),
                    f"expected the first window's {key} ({getattr(w0, key)!r}), "
                    f"got {getattr(fw, key)!r}",
                )

        self._check_venues(self.venues, ("venues",))
        for i, w in enumerate(self.windows):
            self._check_venues(w.venues, ("windows", i, "venues"))
        if self.last_summit is not None:
            if self.last_summit.date > self.as_of:
                raise At(
                    ("last_summit", "date"), f"expected a date on or before as_of {self.as_of}"
                )
            known = [s.venue for s in self.venues]
            if self.last_summit.venue_class not in known:
                raise At(
                    ("last_summit", "venue_class"),
                    f"expected one of {', '.join(known)} (got {self.last_summit.venue_class!r})",
                )
        _unique([e.name for e in self.effects], "effects", "name", "effect name")
        return self

    def _check_venues(self, shares: tuple[VenueShare, ...], loc: tuple) -> None:
        """One venue mix: each venue once, the same venues in the same order as the top-level
        ``venues`` (and, with ``dyad``, exactly the venues it labels); shares summing to 1."""
        ids = [s.venue for s in shares]
        _unique(ids, loc, "venue", "venue")
        if self.dyad is not None and set(ids) != set(self.dyad.venue_labels):
            raise At(
                loc,
                "expected each venue of dyad.venue_labels once: "
                + ", ".join(self.dyad.venue_labels),
            )
        reference = [s.venue for s in self.venues]
        if ids != reference:
            raise At(
                loc,
                "expected the venues of the top-level 'venues', in its order: "
                + ", ".join(reference),
            )
        total = math.fsum(s.p for s in shares)
        if abs(total - 1.0) > SHARE_TOLERANCE:
            raise At(loc, f"expected venue shares p summing to 1 (got {total!r})")

    # ------------------------------------------------------------------ conversions

    @classmethod
    def from_dict(cls, data: Any) -> ForecastDocument:
        """Validate plain JSON-shaped data (as ``json.loads`` gives it).

        Raises
        ------
        pydantic.ValidationError
            On any problem. :func:`read_document` turns it into an :class:`InputError`; so
            does :func:`pydantic_error_to_input_error` for other sources.
        """
        return cls.model_validate(data)

    def to_dict(self) -> dict:
        """The document as JSON-ready plain data, keys in file order (dates as text)."""
        return _finite_or_none(self.model_dump(mode="json"))

    def to_json(self) -> str:
        """The file's text: indented by 2, non-ASCII kept, NaN/±inf as null, final newline."""
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    # ------------------------------------------------------------------ reading helpers

    @property
    def venue_labels(self) -> dict[str, str]:
        """Venue class id → label, in the order the venue mixes list them (the ids themselves
        for a file written before ``dyad`` was recorded)."""
        if self.dyad is not None:
            return dict(self.dyad.venue_labels)
        return {s.venue: s.venue for s in self.venues}

    @property
    def pair(self) -> str:
        """The pair's short name ("Kim–Putin"), or the two leaders joined by a dash."""
        if self.dyad is None:
            return "the two leaders"
        return self.dyad.pair or "–".join(self.dyad.leaders)

    @property
    def top_venue(self) -> VenueShare:
        """The likeliest venue over the horizon (the first listed on a tie)."""
        return max(self.venues, key=lambda v: v.p)

    def effect(self, name: str) -> Effect:
        """The effect called ``name``.

        Raises
        ------
        KeyError
            Naming the effects the document has.
        """
        for e in self.effects:
            if e.name == name:
                return e
        raise KeyError(f"no effect {name!r}; the document has: {', '.join(self.effect_names)}")

    @property
    def effect_names(self) -> tuple[str, ...]:
        """The names of the document's effects, in file order."""
        return tuple(e.name for e in self.effects)


def as_document(
    doc: ForecastDocument | Mapping[str, Any], source: str | Path = "<forecast document>"
) -> ForecastDocument:
    """The typed document, from itself or from JSON-shaped data (as ``json.loads`` gives it).

    Every reader of a forecast (the report, the terminal summary, the plots, the comparisons,
    the notebook) calls this first and then reads attributes, so a plain dict is checked once,
    here, with the same one-line errors as :func:`read_document`.

    Raises
    ------
    InputError
        Naming the first problem of a dict that is not a valid forecast document.
    """
    if isinstance(doc, ForecastDocument):
        return doc
    return parse_document(dict(doc) if isinstance(doc, Mapping) else doc, source)


def _unique(values: list, loc: str | tuple, key: str, what: str) -> None:
    seen: dict[Any, int] = {}
    where = (loc,) if isinstance(loc, str) else loc
    for i, value in enumerate(values):
        if value in seen:
            raise At(
                (*where, i, key), f"duplicate {what} {value!r} (also at position {seen[value]})"
            )
        seen[value] = i


def _finite_or_none(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite_or_none(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite_or_none(v) for v in obj]
    return obj


# --------------------------------------------------------------------------- reading


def read_document(path: str | Path) -> ForecastDocument:
    """Read and check a ``forecast.json`` file.

    Raises
    ------
    InputError
        On one line, naming the field: a missing or unreadable file, text that is not UTF-8
        JSON (``line N``), NaN/Infinity literals, a document of another schema, a wrong type,
        a missing or unknown key, or a failed cross-check.
    """
    raw = read_input(path, limit=MAX_BYTES, what="forecast")
    text = decode_text(raw, path).removeprefix("\ufeff")
    if not text.strip():
        raise InputError(path, None, "the file is empty; expected a forecast document (JSON)")
    try:
        data = json.loads(text, parse_constant=float, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            path,
            f"line {exc.lineno}",
            f"invalid JSON at column {exc.colno}: {exc.msg[:1].lower()}{exc.msg[1:]}",
        ) from None
    except _DuplicateKey as exc:
        raise InputError(
            path, None, f"invalid JSON: duplicate key {exc.key!r} in an object"
        ) from None
    except ValueError as exc:  # e.g. an integer with more digits than Python converts
        first = str(exc).splitlines()[0].split(";")[0]
        raise InputError(path, None, f"invalid JSON: {first[:1].lower()}{first[1:]}") from None
    except RecursionError:
        raise InputError(path, None, "invalid JSON: nested too deeply") from None
    return parse_document(data, path)


def parse_document(data: Any, source: str | Path = "<forecast document>") -> ForecastDocument:
    """Validate already-parsed data; raise :class:`InputError` naming the first problem.

    NaN and ±inf (``json.loads`` reads the literals ``NaN``/``Infinity`` and ``1e999`` as such)
    are refused wherever they occur: the writer puts null instead, and only where null is
    allowed.
    """
    if not isinstance(data, dict):
        raise InputError(
            source,
            None,
            f"expected a JSON object (as 'forecast run' writes it), got {json_kind(data)}",
        )
    if "schema" not in data:
        raise InputError(source, "schema", f"missing required field; expected {FORECAST_SCHEMA!r}")
    if data["schema"] != FORECAST_SCHEMA:
        raise InputError(
            source, "schema", f"expected {FORECAST_SCHEMA!r} (got {show_json(data['schema'])})"
        )
    try:
        return ForecastDocument.from_dict(data)
    except ValidationError as exc:
        raise pydantic_error_to_input_error(exc, source, data, model=ForecastDocument) from None


class _DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise _DuplicateKey(key)
        out[key] = value
    return out
