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
by their ``name``/``venue``/``date``/``month`` (``windows -> June 2025 -> p``).
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

import difflib
import json
import math
import reprlib
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from forecast.config.errors import At, first_problem, models_in, path_part
from forecast.errors import InputError
from forecast.io.safe_read import decode_text, read_input

FORECAST_SCHEMA = "summit-forecast/forecast.json/1"
MAX_BYTES = 16 << 20  # a five-year horizon with 50 windows is well under 1 MiB
HEADLINE_TOLERANCE = 1e-9  # headline vs the last by_date entry, first_window vs windows[0]
SHARE_TOLERANCE = 1e-6  # venue shares summing to 1
ITEM_KEYS = ("name", "venue", "date", "month")  # what names a list entry in a field path

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
        raise ValueError(f"expected a real date as YYYY-MM-DD (got {_show(value)})")
    raise ValueError(f"expected a date as YYYY-MM-DD text (got {_show(value)})")


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

_PATTERN_HINTS = {
    r"^[0-9a-f]{64}$": "expected a SHA-256 as 64 lower-case hex digits",
    r"^[0-9]{4}-(0[1-9]|1[0-2])$": "expected a month as YYYY-MM",
}


def _is_none(value: Any) -> bool:
    return value is None


# --------------------------------------------------------------------------- models


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Summary(_Doc):
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


class Headline(_Doc):
    by_horizon_end: Interval
    first_window: FirstWindow


class DateQuantiles(_Doc):
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


class LastSummit(_Doc):
    date: IsoDate
    venue_class: Name
    site: str


class Multiplier(_Summary):
    """Posterior median and 10%/90% quantiles of an effect's multiplier (not probabilities)."""

    p50: NonNegative
    lo: NonNegative
    hi: NonNegative


class Effect(_Doc):
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


class Diagnostics(_Doc):
    rhat_max: NonNegative | None  # null with one chain
    ess_bulk_min: NonNegative
    ess_tail_min: NonNegative
    divergences: Count
    chains: Annotated[Count, Field(ge=1)]
    draws: Annotated[Count, Field(ge=1)]
    sampling_seconds: NonNegative
    problems: tuple[str, ...]


class SamplerSettings(_Doc):
    """The sampler settings used, after command-line overrides."""

    draws: Annotated[Count, Field(ge=1)]
    tune: Count
    chains: Annotated[Count, Field(ge=1)]
    seed: Count
    target_accept: Annotated[Finite, Field(gt=0.0, lt=1.0)]
    backend: Name | None = Field(default=None, exclude_if=_is_none)  # left out when None


class DataSummary(_Doc):
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


class Stamp(_Doc):
    version: Name
    scenario_sha256: Sha256
    data_sha256: Sha256


class Ceasefire(_Doc):
    """The scenario's assumption about the war over the horizon."""

    assumption: Literal["war_continues", "ceasefire"]
    start: IsoDate | None

    @model_validator(mode="after")
    def _start_matches(self) -> Self:
        if self.assumption == "ceasefire" and self.start is None:
            raise At(("start",), "expected a date when assumption is 'ceasefire'")
        if self.assumption == "war_continues" and self.start is not None:
            raise At(("start",), "expected null when assumption is 'war_continues'")
        return self


class DyadInfo(_Doc):
    """Who the forecast is about: the two leaders, and a label for each venue class id (in the
    order the venue mixes list them)."""

    leaders: tuple[Name, Name]
    pair: Name | None = Field(default=None, exclude_if=_is_none)  # "Kim–Putin"; left out when None
    venue_labels: Annotated[dict[Name, Name], Field(min_length=1)]


class ForecastDocument(_Doc):
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
    dataset: Name | None = Field(default=None, exclude_if=_is_none)  # left out when None
    dyad: DyadInfo | None = Field(default=None, exclude_if=_is_none)  # left out when None
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
    diagnostics: Diagnostics
    sampler: SamplerSettings
    data: DataSummary
    assumptions: tuple[str, ...]
    warnings: tuple[str, ...]
    stamp: Stamp

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
            f"expected a JSON object (as 'forecast run' writes it), got {_kind(data)}",
        )
    if "schema" not in data:
        raise InputError(source, "schema", f"missing required field; expected {FORECAST_SCHEMA!r}")
    if data["schema"] != FORECAST_SCHEMA:
        raise InputError(
            source, "schema", f"expected {FORECAST_SCHEMA!r} (got {_show(data['schema'])})"
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


# --------------------------------------------------------------------------- error messages


def pydantic_error_to_input_error(
    exc: ValidationError,
    source: str | Path,
    data: Any,
    *,
    model: type[BaseModel] | None = None,
    item_keys: tuple[str, ...] = ITEM_KEYS,
) -> InputError:
    """One :class:`InputError` line for a pydantic error: the first problem, its field path.

    The path joins keys with `` -> ``; a list entry is named by the first of ``item_keys`` it
    holds as text (``windows -> June 2025 -> p``) when that name is unique among its siblings,
    else by its zero-based position. A whole-model check that raises an ``At`` error adds
    its own location. ``model`` (the validated model) lets an unknown key get a "did you mean".
    """
    errors = exc.errors(include_url=False)
    err = first_problem(errors)
    loc = tuple(err["loc"])
    ctx_error = (err.get("ctx") or {}).get("error")
    if isinstance(ctx_error, At):
        loc = loc + ctx_error.loc
        message = str(ctx_error)
    else:
        message = _message(err, loc, model)
    others = len(errors) - (2 if err is not errors[0] else 1)
    more = f" (and {others} more problem{'s' if others > 1 else ''})" if others > 0 else ""
    field = " -> ".join(_named_path(loc, data, item_keys)) or None
    return InputError(source, field, message + more)


def _named_path(loc: tuple, data: Any, item_keys: tuple[str, ...]) -> list[str]:
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(node, list | tuple) and isinstance(part, int) and 0 <= part < len(node):
            parts.append(path_part(_item_name(node, part, item_keys)))
            node = node[part]
        elif isinstance(node, dict) and part in node:
            parts.append(path_part(part))
            node = node[part]
        else:
            parts.append(path_part(part))
            node = None
    return parts


def _item_name(items: list | tuple, index: int, item_keys: tuple[str, ...]) -> Any:
    item = items[index]
    if not isinstance(item, dict):
        return index
    for key in item_keys:
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            same = sum(1 for other in items if isinstance(other, dict) and other.get(key) == value)
            return value if same == 1 else index
    return index


def _message(err: dict, loc: tuple, model: type[BaseModel] | None) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    got = _show(err.get("input"))
    if kind == "extra_forbidden":
        allowed = [n for n in _fields_at(model, loc[:-1]) if n != loc[-1]] if model else []
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.6)
        if hint:
            return f"unknown key; did you mean '{hint[0]}'?"
        return f"unknown key; expected one of: {', '.join(allowed)}" if allowed else "unknown key"
    if kind == "missing":
        if loc and isinstance(loc[-1], int):  # a fixed-length list that is too short
            return "missing list entry (the list is too short)"
        return "missing required field"
    if kind == "finite_number":
        return f"expected a finite number (got {got})"
    if kind in ("float_type", "float_parsing"):
        return f"expected a number (got {got})"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"expected an integer (got {got})"
    if kind in ("string_type", "str_type"):
        return f"expected text (got {got})"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a JSON object (got {_kind(err.get('input'))})"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list (got {_kind(err.get('input'))})"
    if kind == "literal_error":
        return f"expected {ctx['expected']} (got {got})"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern"))
        return f"{_PATTERN_HINTS.get(pattern, 'expected text matching ' + pattern)} (got {got})"
    if kind == "string_too_short":
        return "expected non-empty text"
    if kind in ("too_short", "too_long"):
        bound = ctx.get("min_length") if kind == "too_short" else ctx.get("max_length")
        word = "at least" if kind == "too_short" else "at most"
        n = ctx.get("actual_length")
        return f"expected {word} {bound} entr{'y' if bound == 1 else 'ies'} (got {n})"
    for name, sign in (
        ("greater_than_equal", ">="),
        ("greater_than", ">"),
        ("less_than_equal", "<="),
        ("less_than", "<"),
    ):
        if kind == name:
            bound = next(iter(ctx.values()), "?")
            return (
                f"expected a number {sign} {bound:g} (got {got})"
                if isinstance(bound, int | float)
                else err["msg"]
            )
    msg = err["msg"].removeprefix("Value error, ")
    if kind.endswith("_type") or kind.endswith("_parsing"):
        msg = f"{msg} (got {got})"
    return msg[0].lower() + msg[1:] if msg else msg


_SHORT = reprlib.Repr(
    maxlevel=1, maxdict=3, maxlist=3, maxtuple=3, maxstring=40, maxlong=40, maxother=40
)


def _show(value: Any) -> str:
    """A bad value as JSON would spell it, bounded so the message stays one short line."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, str):
        text = json.dumps(value if len(value) <= 40 else value[:36] + "...", ensure_ascii=False)
        return text if text.isprintable() else ascii(text)
    if isinstance(value, dict | list | tuple):
        return _kind(value)
    try:
        return _SHORT.repr(value)
    except ValueError:  # an int too long to print
        return f"a {type(value).__name__}"


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return f"a {type(value).__name__}"


def _fields_at(model: type[BaseModel], loc: tuple) -> list[str]:
    """Keys allowed at a location (as written in the file, i.e. aliases), for the hint."""
    models: list[type[BaseModel]] = [model]
    for part in loc:
        if isinstance(part, int):
            continue
        nxt: list[type[BaseModel]] = []
        for m in models:
            for name, info in m.model_fields.items():
                if part in (name, info.alias):
                    nxt.extend(models_in(info.annotation))
        models = nxt
    return sorted({info.alias or name for m in models for name, info in m.model_fields.items()})
