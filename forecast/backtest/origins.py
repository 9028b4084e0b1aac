"""Backtest inputs: the settings, the origins, the template and the per-origin scenarios.

The origins are either a range of dates (``--start``, ``--end``, ``--every``), each scored at
every window length of ``--windows``, or the rows of a cases file (``--cases``), each scored to
its own horizon end. Everything here is checked before any sampling and without importing
PyMC, so a bad argument or a bad cases file fails at once with one line naming the file (or
option), the field and what was expected. The cases file is read by
:mod:`forecast.backtest.cases` (its names are importable from here as well).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from forecast import scenarios
from forecast.backtest.cases import CASE_COLUMNS as CASE_COLUMNS
from forecast.backtest.cases import Case
from forecast.backtest.cases import load_cases as load_cases
from forecast.backtest.cases import venue_sets as venue_sets
from forecast.config.scenario import Scenario, parse_scenario, scenario_sha256
from forecast.config.yaml_loader import load_yaml
from forecast.design.inputs import check_scenario
from forecast.domain.record import DEFAULT_DATASET, Dataset
from forecast.errors import InputError
from forecast.io.safe_read import decode_text, read_input, sha256_bytes

DEFAULT_TEMPLATE = scenarios.path("backtest/indicators.yaml")
DEFAULT_CASES = scenarios.path("backtest/seed-cases.csv")


def default_template(dataset: str) -> Path:
    """The shipped indicator template of a dataset (``backtest/<dataset>.yaml``; the default
    dataset's is ``backtest/indicators.yaml``)."""
    return (
        DEFAULT_TEMPLATE
        if dataset == DEFAULT_DATASET
        else scenarios.path(f"backtest/{dataset}.yaml")
    )


def default_cases(dataset: str) -> Path | None:
    """The shipped named cases of a dataset (the seed articles' calls; the default dataset's
    only), or None."""
    return DEFAULT_CASES if dataset == DEFAULT_DATASET else None


DEFAULT_START = date(2014, 1, 1)
DEFAULT_WINDOWS = (90, 180)
TEMPLATE_KEYS = ("schema_version", "name", "dataset", "question", "indicators", "venues", "model")

_EVERY = re.compile(r"^([1-9][0-9]{0,2})([MWD])$")
RANGE_OPTIONS = ("--start", "--end", "--every", "--windows")
CASES_LABEL = "to each case's horizon end"


@dataclass(frozen=True)
class Settings:
    """A checked backtest configuration (dates, step, windows, sampler).

    With ``cases_file`` set, the origins are that file's rows: ``start`` and ``end`` are the
    first and last ``as_of``, and ``every`` and ``windows`` are unused (``None`` and ``()``).
    """

    start: date
    end: date
    every: str | None
    windows: tuple[int, ...]
    draws: int = 500
    tune: int = 500
    chains: int = 2
    seed: int = 1
    cases_file: str | None = None

    @property
    def longest(self) -> int:
        return max(self.windows)

    @property
    def from_cases(self) -> bool:
        """Whether the origins are the rows of a cases file."""
        return self.cases_file is not None


@dataclass(frozen=True)
class Template:
    """The indicator template: the scenario keys every origin shares."""

    path: Path
    body: dict[str, Any] = field(repr=False)
    sha256: str = ""


# --------------------------------------------------------------------------- settings


def parse_date(text: str, option: str) -> date:
    """A YYYY-MM-DD date from the command line, or an :class:`InputError` naming the option."""
    try:
        return date.fromisoformat(text)
    except (TypeError, ValueError):
        raise InputError(option, None, f"expected a date as YYYY-MM-DD (got {text!r})") from None


def parse_windows(text: str) -> tuple[int, ...]:
    """'90,180' -> (90, 180): distinct whole numbers of days between 1 and 1826, ascending."""
    parts = [p.strip() for p in str(text).split(",")]
    out: list[int] = []
    for p in parts:
        if not p.isdigit() or not 1 <= int(p) <= 1826:
            raise InputError(
                "--windows",
                None,
                f"expected comma-separated whole numbers of days between 1 and 1826, "
                f"e.g. 90,180 (got {text!r})",
            )
        out.append(int(p))
    if len(set(out)) != len(out):
        raise InputError("--windows", None, f"expected distinct window lengths (got {text!r})")
    return tuple(sorted(out))


def parse_every(text: str) -> str:
    """A step such as '1M' (months), '2W' (weeks) or '14D' (days)."""
    if not _EVERY.match(str(text)):
        raise InputError(
            "--every",
            None,
            f"expected a step like 1M, 2W or 14D (months, weeks, days; got {text!r})",
        )
    return str(text)


def last_origin(dataset: Dataset, longest: int) -> date:
    """The last origin whose longest window ends on or before the dataset's coverage end."""
    return dataset.meta.coverage_end - timedelta(days=longest)


def make_settings(
    dataset: Dataset,
    *,
    start: str | None = None,
    end: str | None = None,
    every: str | None = None,
    windows: str | None = None,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    seed: int = 1,
) -> Settings:
    """Check the command-line options against each other and the dataset.

    The default end is the last origin whose longest window is scored within the dataset's
    coverage (outcomes must be known); the default step is ``1M``.
    """
    wins = parse_windows(windows) if windows is not None else DEFAULT_WINDOWS
    step = parse_every(every if every is not None else "1M")
    first = (
        parse_date(start, "--start")
        if start is not None
        else max(DEFAULT_START, dataset.meta.coverage_start)
    )
    limit = last_origin(dataset, max(wins))
    last = parse_date(end, "--end") if end is not None else limit
    meta = dataset.meta
    if first < meta.coverage_start:
        raise InputError(
            "--start",
            None,
            f"expected a date on or after the dataset's start {meta.coverage_start}",
        )
    if first > last:
        raise InputError("--start", None, f"expected a date on or before --end {last}")
    if last > limit:
        raise InputError(
            "--end",
            None,
            f"expected a date on or before {limit}: the longest window ({max(wins)} days) must "
            f"end by the dataset's coverage end {meta.coverage_end} so the outcome is known",
        )
    settings = Settings(first, last, step, wins, draws, tune, chains, seed)
    # The range is stated by its last actual origin (e.g. 2025-08-01, not 2025-08-30).
    return replace(settings, end=origins(settings)[-1])


def refuse_range_with_cases(
    cases: str | Path | None,
    start: str | None,
    end: str | None,
    every: str | None,
    windows: str | None,
) -> None:
    """A cases file sets the origins, so a range option beside it is an error naming it.

    Raises
    ------
    InputError
        If ``cases`` and any of ``--start``, ``--end``, ``--every``, ``--windows`` are given.
    """
    if cases is None:
        return
    values = (start, end, every, windows)
    given = [o for o, v in zip(RANGE_OPTIONS, values, strict=True) if v is not None]
    if given:
        raise InputError(
            given[0],
            None,
            f"not allowed with --cases (the origins are the rows of {cases}, each scored to its "
            "own horizon_end); expected either --cases or --start/--end/--every/--windows",
        )


def case_settings(
    cases: list[Case],
    path: str | Path,
    *,
    draws: int = 500,
    tune: int = 500,
    chains: int = 2,
    seed: int = 1,
) -> Settings:
    """The settings of a backtest whose origins are the rows of the cases file ``path``."""
    days = [c.as_of for c in cases]
    return Settings(min(days), max(days), None, (), draws, tune, chains, seed, str(path))


def origins(settings: Settings) -> list[date]:
    """The forecast origins from ``start`` to ``end`` (inclusive) every ``every``."""
    assert settings.every is not None, "a cases-file backtest has no range of origins"
    m = _EVERY.match(settings.every)
    assert m is not None
    n, unit = int(m.group(1)), m.group(2)
    out: list[date] = []
    k = 0
    while True:
        if unit == "M":
            months = settings.start.month - 1 + k * n
            year = settings.start.year + months // 12
            day = _clamp_day(year, months % 12 + 1, settings.start.day)
        else:
            day = settings.start + timedelta(days=k * n * (7 if unit == "W" else 1))
        if day > settings.end:
            return out
        out.append(day)
        k += 1


def _clamp_day(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


# --------------------------------------------------------------------------- template


def load_template(path: str | Path, dataset: Dataset) -> Template:
    """Read and check the indicator template (a scenario without dates, windows or sampler)."""
    path = Path(path)
    data = read_input(path, what="template")  # read once: the bytes hashed are those parsed
    raw = load_yaml(path, decode_text(data, path))
    if not isinstance(raw, dict):
        raise InputError(path, None, "expected a mapping of scenario keys")
    for key in raw:
        if key not in TEMPLATE_KEYS:
            hint = difflib.get_close_matches(str(key), TEMPLATE_KEYS, n=1, cutoff=0.6)
            why = (
                " (the backtest sets it for each origin)"
                if key in ("as_of", "horizon_end", "windows", "ceasefire", "events", "sampler")
                else ""
            )
            more = f"; did you mean '{hint[0]}'?" if hint else f"; expected one of {TEMPLATE_KEYS}"
            raise InputError(path, str(key), f"not allowed in a backtest template{why}{more}")
    raw.setdefault("dataset", dataset.meta.name)
    template = Template(path, raw, sha256_bytes(data))
    end = dataset.meta.coverage_end
    probe = scenario_at(template, end - timedelta(days=1), end, [1])
    check_scenario(probe, dataset, path)
    return template


def scenario_at(
    template: Template, as_of: date, horizon_end: date, windows: list[int] | tuple[int, ...]
) -> Scenario:
    """The scenario of one origin: the template's statements, as of ``as_of``, war continuing.

    Each window ``w`` is the ``w`` days after ``as_of``; statements dated after ``as_of`` stay
    in the scenario and are ignored by :func:`forecast.design.prepare.prepare` (no look-ahead).
    """
    body = dict(template.body)
    body.update(
        name=f"backtest-{as_of.isoformat()}",
        as_of=as_of.isoformat(),
        horizon_end=horizon_end.isoformat(),
        windows=[
            {
                "name": f"{w} days",
                "start": (as_of + timedelta(days=1)).isoformat(),
                "end": (as_of + timedelta(days=w)).isoformat(),
            }
            for w in windows
        ],
        ceasefire={"assumption": "war_continues"},
    )
    body.setdefault("question", "backtest origin")
    return parse_scenario(body, template.path)


def case_scenario(template: Template, case: Case) -> Scenario:
    """The scenario of a case: as of its ``as_of``, one window to its ``horizon_end``."""
    return scenario_at(template, case.as_of, case.horizon_end, [case.days])


def with_signals(scenario: Scenario) -> Scenario:
    """``scenario`` with the signal terms on (the short-horizon track's origins, and the named
    cases' second fit)."""
    return scenario.model_copy(
        update={"model": scenario.model.model_copy(update={"signals": True})}
    )


def file_sha256(path: str | Path) -> str:
    """Content hash of a file, the same as a scenario's (``scenario_sha256``)."""
    return scenario_sha256(path)
