"""The sourced historical record: summits, exchanges, state periods and occasions.

The CSV files in ``forecast/domain/data/<dataset>/`` are transcribed from verified fact sheets;
every row carries a source address. They are validated on load like a scenario: a bad date or
an unknown venue class is an :class:`~forecast.errors.InputError` naming the file, the row and
the field.
:meth:`Dataset.known_on` gives the record as it stood on a date (no look-ahead).
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import io
from dataclasses import dataclass, field, replace
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from forecast.config.yaml_loader import load_yaml
from forecast.domain.dyad import BOTH, THIRD, Dyad, Slug
from forecast.domain.signals import Signal
from forecast.domain.vocab import Rank
from forecast.errors import InputError
from forecast.io.safe_read import MIB, decode_text, read_input

#: The largest dataset CSV accepted (the packaged ones are a few KiB).
CSV_LIMIT = 16 * MIB

DATA_FILES = (
    "dataset.yaml",
    "summits.csv",
    "exchanges.csv",
    "periods.csv",
    "recurring.csv",
    "scheduled.csv",
    "signals.csv",
)
Source = Annotated[str, Field(min_length=4)]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    id: Annotated[str, Field(min_length=1)]
    uncertain: bool
    note: str | None = None
    source: Source


class Summit(_Row):
    """A meeting of two leaders; ``leader_a`` is on the dyad's first side."""

    date: date
    leader_a: Slug
    leader_b: Slug
    site: str
    venue_class: Slug
    travelled: Slug  # the side whose leader went abroad, or 'both'
    multilateral: bool
    occasion: str | None = None
    #: The episode of ``signals.csv`` the meeting's signals are filed under (None: none is)
    episode: str | None = None


class Exchange(_Row):
    start: date
    end: date
    date_precision: Annotated[str, Field(pattern="^(day|month)$")]
    person: str
    role: str
    rank: Rank
    direction: Annotated[str, Field(pattern="^to_[a-z0-9_]+$")]  # to_<side id>
    place: str
    met_leader: bool
    leader_met: Slug | None = None
    occasion: str | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"expected start <= end (got {self.start} .. {self.end})")
        return self


class Period(_Row):
    start: date
    end: date | None = None
    state: Slug

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end is not None and self.end < self.start:
            raise ValueError(f"expected start <= end (got {self.start} .. {self.end})")
        return self


class Recurring(_Row):
    name: str
    month: Annotated[int, Field(ge=1, le=12)]
    day: Annotated[int, Field(ge=1, le=31)]
    first_year: int | None = None
    country: Slug  # a side id, or 'both'

    @model_validator(mode="after")
    def _real_day(self) -> Self:
        date(2024, self.month, self.day)  # raises for Feb 30 etc. (2024: Feb 29 allowed)
        return self

    def dates(self, first_year: int, last_year: int) -> list[date]:
        """The occurrences from ``first_year`` to ``last_year`` inclusive: none before the
        row's own ``first_year``, and none in years without the day (Feb 29)."""
        out = []
        for year in range(max(first_year, self.first_year or first_year), last_year + 1):
            try:
                out.append(date(year, self.month, self.day))
            except ValueError:
                continue
        return out


class Scheduled(_Row):
    name: str
    start: date
    end: date
    host: Slug  # a side id, or 'third_country'
    venue_class: Slug
    multilateral: bool
    announced_on: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.end < self.start:
            raise ValueError(f"expected start <= end (got {self.start} .. {self.end})")
        return self

    @property
    def family(self) -> str:
        """'eef-2019' -> 'eef': the id that scenario indicators use."""
        head, _, tail = self.id.rpartition("-")
        return head if tail.isdigit() and head else self.id


class Meta(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    schema_version: Literal[2]
    name: Slug
    title: str
    coverage_start: date
    coverage_end: date
    reference: str
    dyad: Dyad

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.coverage_end < self.coverage_start:
            raise ValueError("expected coverage_start <= coverage_end")
        return self


@dataclass(frozen=True)
class Dataset:
    """The historical record, possibly cut at an as-of date."""

    meta: Meta
    summits: tuple[Summit, ...]
    exchanges: tuple[Exchange, ...]
    periods: tuple[Period, ...]
    recurring: tuple[Recurring, ...]
    scheduled: tuple[Scheduled, ...]
    sha256: str
    known_as_of: date | None = field(default=None)
    signals: tuple[Signal, ...] = field(default=())

    def known_on(self, as_of: date) -> Dataset:
        """The record as it stood at the end of ``as_of``: later rows are dropped.

        Summits and exchanges dated after ``as_of`` are unknown; an exchange still under way is
        counted only once it has ended. Periods that had not started are unknown, and periods
        that ended later are treated as still open. Scheduled occasions are known once announced;
        rows without an announcement date are treated as known only once they began. A signal
        is known from the end of its date (a month-precision signal is dated at the end of the
        part of the month it is known for).
        """
        periods = tuple(
            p if p.end is None or p.end <= as_of else p.model_copy(update={"end": None})
            for p in self.periods
            if p.start <= as_of
        )
        return replace(
            self,
            summits=tuple(s for s in self.summits if s.date <= as_of),
            exchanges=tuple(x for x in self.exchanges if x.end <= as_of),
            periods=periods,
            scheduled=tuple(s for s in self.scheduled if (s.announced_on or s.start) <= as_of),
            signals=tuple(s for s in self.signals if s.date <= as_of),
            known_as_of=as_of,
        )

    @property
    def dyad(self) -> Dyad:
        return self.meta.dyad

    @property
    def events(self) -> tuple[Summit, ...]:
        """The summits of the dyad's two leaders (the timing model's events), in date order."""
        return tuple(s for s in self.summits if self.dyad.is_event(s))

    @property
    def episode_meetings(self) -> dict[str, date]:
        """The date of the meeting each named episode is about (``summits.csv``'s ``episode``)."""
        return {s.episode: s.date for s in self.events if s.episode is not None}

    def made_at_its_meeting(self, signal: Signal) -> bool:
        """Whether a signal is dated on the day of the meeting its episode is about (the
        announcement of a visit on its first day, a sighting of it under way): such a signal is
        spent by that meeting, neither news of the next one nor a forecast of its own."""
        return signal.episode is not None and self.episode_meetings.get(signal.episode) == (
            signal.date
        )

    def period(self, state: str) -> Period | None:
        """The first period of a state (see :meth:`periods_of` for states that recur)."""
        return next((p for p in self.periods if p.state == state), None)

    def periods_of(self, state: str) -> tuple[Period, ...]:
        return tuple(p for p in self.periods if p.state == state)

    @property
    def occasion_ids(self) -> list[str]:
        """Every id an indicator may name: recurring dates and scheduled-occasion families."""
        ids = {r.id for r in self.recurring} | {s.family for s in self.scheduled}
        return sorted(ids)


_ROW_MODELS: dict[str, type[_Row] | type[Signal]] = {
    "summits.csv": Summit,
    "exchanges.csv": Exchange,
    "periods.csv": Period,
    "recurring.csv": Recurring,
    "scheduled.csv": Scheduled,
    "signals.csv": Signal,
}


DEFAULT_DATASET = "kim-putin"


def datasets_dir() -> Path:
    """The folder holding the packaged datasets, one sub-folder each."""
    return Path(str(resources.files("forecast.domain") / "data"))


def available_datasets() -> list[str]:
    """Names of the packaged datasets (folders with a ``dataset.yaml``)."""
    return sorted(p.name for p in datasets_dir().iterdir() if (p / "dataset.yaml").is_file())


def dataset_dir(
    name: str = DEFAULT_DATASET, *, source: str | Path = "dataset", field: str | None = None
) -> Path:
    """The folder of a packaged dataset, by name.

    Raises
    ------
    InputError
        If no packaged dataset has that name, naming ``source`` and ``field`` (the file and key
        that asked for it) and listing the datasets that exist, with a 'did you mean'.
    """
    known = available_datasets()
    if name not in known:
        hint = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
        raise InputError(
            source,
            field,
            f"unknown dataset {name!r}; "
            + (f"did you mean '{hint[0]}'?" if hint else f"expected one of {', '.join(known)}"),
        )
    return datasets_dir() / name


@functools.cache
def dyad_of(name: str = DEFAULT_DATASET) -> Dyad:
    """A packaged dataset's dyad, read once per process (the packaged files do not change)."""
    return load_dataset(dataset_dir(name)).dyad


def default_dyad() -> Dyad:
    """The default dataset's dyad."""
    return dyad_of(DEFAULT_DATASET)


def default_data_dir() -> Path:
    return dataset_dir(DEFAULT_DATASET)


def _resolve(data: str | Path | None) -> Path:
    """A dataset given by name (``'kim-xi'``), by folder, or None for the default."""
    if data is None:
        return default_data_dir()
    if isinstance(data, str) and "/" not in data and data in available_datasets():
        return dataset_dir(data)
    return Path(data)


def data_sha256(data_dir: str | Path | None = None) -> str:
    """Content hash over the dataset's files (names and bytes, in a fixed order)."""
    data_dir = _resolve(data_dir)
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        digest.update(b"\0")
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def _shown(value: object) -> str:
    """A bad cell for a one-line message: its repr (newlines escaped), at most 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + "...'"


def _read_rows(path: Path, model: type[_Row] | type[Signal], coverage_end: date) -> tuple:
    # read once, as a regular file of bounded size; a byte-order mark is accepted and dropped
    text = decode_text(read_input(path, limit=CSV_LIMIT, what="dataset"), path)
    text = text.removeprefix("\ufeff")
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = reader.fieldnames
        if not header:
            raise InputError(path, "header", "the file is empty; expected a header row")
        repeated = sorted({h for h in header if header.count(h) > 1})
        if repeated:
            raise InputError(
                path, "header", f"duplicate column {repeated[0]!r}; expected each column once"
            )
        missing = [f for f in model.model_fields if model.model_fields[f].is_required()]
        absent = [f for f in missing if f not in header]
        if absent:
            raise InputError(path, "header", f"missing column(s): {', '.join(absent)}")
        rows = []
        seen: set[str] = set()
        for raw in reader:
            # the row's lines in the file: a quoted cell may span several (blank lines before
            # the row are skipped by the reader and not counted here)
            end = reader.line_num
            first = end - sum(v.count("\n") for v in raw.values() if isinstance(v, str))
            lineno = str(first) if first == end else f"{first}-{end}"
            if None in raw:
                raise InputError(path, f"line {lineno}", "more fields than the header has")
            clean = {k: (v if v is None or v.strip() != "" else None) for k, v in raw.items()}
            try:
                row = model.model_validate(clean)
            except ValidationError as exc:
                err = exc.errors(include_url=False)[0]
                col = ".".join(str(p) for p in err["loc"]) or "row"
                msg = err["msg"].removeprefix("Value error, ")
                got = err.get("input")
                got_txt = (
                    f" (got {_shown(got)})" if got is not None and not isinstance(got, dict) else ""
                )
                raise InputError(
                    path, f"line {lineno} ({str(raw.get('id'))[:60]}), {col}", msg + got_txt
                ) from None
            when = getattr(row, "date", None) or getattr(row, "start", None)
            if model in (Summit, Exchange, Period, Signal) and when > coverage_end:
                raise InputError(
                    path,
                    f"line {lineno} ({row.id}), "
                    + ("date" if model in (Summit, Signal) else "start"),
                    f"after the dataset's coverage end {coverage_end}",
                )
            if row.id in seen:
                raise InputError(path, f"line {lineno}, id", f"duplicate id {row.id!r}")
            seen.add(row.id)
            rows.append(row)
        return tuple(rows)
    except csv.Error as exc:
        raise InputError(path, None, f"cannot read the CSV ({exc})") from None


def _check_periods(path: Path, periods: tuple[Period, ...]) -> None:
    """A state holds once at a time: two periods of one state may not overlap (a second 'war'
    row would otherwise be silently ignored by whatever reads the first)."""
    by_state: dict[str, list[Period]] = {}
    for p in periods:
        by_state.setdefault(p.state, []).append(p)
    for state, rows in by_state.items():
        rows.sort(key=lambda p: p.start)
        for before, after in zip(rows, rows[1:], strict=False):
            if before.end is None or after.start < before.end:
                until = before.end or "open-ended"
                raise InputError(
                    path,
                    f"{after.id}, start",
                    f"overlaps period {before.id!r} of the same state {state!r} "
                    f"({before.start} .. {until}); expected one row per stretch of a state",
                )


def _check_episodes(path: Path, summits: tuple[Summit, ...]) -> None:
    """An episode is about one meeting: two summits may not name the same one."""
    seen: dict[str, str] = {}
    for s in summits:
        if s.episode is None:
            continue
        if s.episode in seen:
            raise InputError(
                path,
                f"{s.id}, episode",
                f"episode {s.episode!r} is already summit {seen[s.episode]!r}'s; expected one "
                "meeting per episode",
            )
        seen[s.episode] = s.id


def _check_references(path: Path, rows: tuple, dyad: Dyad) -> None:
    """Every venue class, side and leader a row names must be declared by the dyad."""
    sides = {s.id for s in dyad.sides}
    earlier = set(dyad.earlier_leaders)  # their sides are not declared
    allowed: dict[str, set[str]] = {
        "venue_class": set(dyad.venue_ids),
        "travelled": sides | {BOTH},
        # leader_a is on the first side: a swapped row would silently not be an event
        "leader_a": {dyad.leaders[0].id} | earlier,
        "leader_b": {dyad.leaders[1].id} | earlier,
        "leader_met": {x.id for x in dyad.leaders},
        "direction": {f"to_{s}" for s in sides},
        "country": sides | {BOTH},
        "host": sides | {THIRD},
        "travels": sides | {BOTH},
    }
    for row in rows:
        for column, values in allowed.items():
            value = getattr(row, column, None)
            if value is not None and value not in values:
                raise InputError(
                    path,
                    f"{row.id}, {column}",
                    f"expected one of {', '.join(sorted(values))} (got {value!r})",
                )


def load_dataset(data_dir: str | Path | None = None) -> Dataset:
    """Load and validate a dataset: the default one, a packaged one by name, or a folder.

    Parameters
    ----------
    data_dir
        ``None`` for the default dataset (:data:`DEFAULT_DATASET`), a packaged dataset's name
        such as ``"kim-trump"``, or the path of a folder laid out like the packaged ones.
    """
    data_dir = _resolve(data_dir)
    meta_path = data_dir / "dataset.yaml"
    raw = load_yaml(meta_path)
    try:
        meta = Meta.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        raise InputError(meta_path, ".".join(map(str, err["loc"])), err["msg"]) from None
    tables = {
        name: _read_rows(data_dir / name, model, meta.coverage_end)
        for name, model in _ROW_MODELS.items()
    }
    for name, rows in tables.items():
        _check_references(data_dir / name, rows, meta.dyad)
    _check_periods(data_dir / "periods.csv", tables["periods.csv"])
    _check_episodes(data_dir / "summits.csv", tables["summits.csv"])
    if not any(meta.dyad.is_event(s) for s in tables["summits.csv"]):
        raise InputError(
            data_dir / "summits.csv", None, "expected at least one summit of the dyad's leaders"
        )
    return Dataset(
        meta=meta,
        summits=tuple(sorted(tables["summits.csv"], key=lambda s: s.date)),
        exchanges=tuple(sorted(tables["exchanges.csv"], key=lambda x: x.start)),
        periods=tables["periods.csv"],
        recurring=tables["recurring.csv"],
        scheduled=tuple(sorted(tables["scheduled.csv"], key=lambda s: s.start)),
        sha256=data_sha256(data_dir),
        signals=tuple(sorted(tables["signals.csv"], key=lambda s: s.date)),
    )
