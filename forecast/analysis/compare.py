"""Scenarios side by side: the headline, every window matched by its dates, the venues and the
median date, with the differences and their 80% intervals.

Each compared item is a scenario (fitted here) or a saved run directory (its posterior read
back). Differences are taken against the first item, per posterior draw:

* **shared draws**: when two items were fitted to the same data with the same priors and
  sampler settings (e.g. ``before-ceasefire`` and ``after-ceasefire``, which differ only in
  the assumption about the horizon), their posterior draws are the same draws, so the
  difference is computed draw by draw and its interval reflects only what differs between the
  scenarios. Scenario files with one :func:`fit_key` are fitted once; saved runs share draws
  when their posterior arrays are identical;
* **independent draws**: otherwise the two posteriors are independent, and draw ``i`` of one is
  paired with draw ``i`` of the other (after a seeded shuffle, truncated to the shorter), so the
  interval is that of the difference of two independent estimates, wider than either.

A window is any ``[start, end]`` that one item names; it is computed for every item whose
horizon covers it (from that item's survival curve), whatever the item calls it, so two windows
called "June" in different years are never compared as one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from forecast.design.prepare import ModelData
from forecast.predict import INTERVAL, Draws, mixture_sums

COMPARISON_SCHEMA = "summit-forecast/comparison.json/1"


@dataclass
class Item:
    """One compared forecast: its name, model inputs and posterior draws."""

    name: str
    source: str  # the scenario file or run directory it came from
    data: ModelData
    draws: Draws
    group: str  # items with one group share their posterior draws

    _mixed: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    @property
    def mixed(self) -> tuple[np.ndarray, np.ndarray]:
        """The mixed survival (D, T+1) and the venue density summed over the horizon (D, J)."""
        if self._mixed is None:
            whole = [(0, len(self.data.horizon_dates) - 1)]
            surv, sums = mixture_sums(self.data, self.draws, whole)
            self._mixed = (surv, sums[:, 0, :])
        return self._mixed

    @property
    def dates(self) -> list[date]:
        return [date.fromisoformat(str(d)) for d in self.data.horizon_dates]

    def covers(self, start: date, end: date) -> bool:
        d = self.dates
        return d[0] <= start and end <= d[-1]

    def p_between(self, start: date, end: date) -> np.ndarray:
        """(D,) P(next summit inside [start, end]) per draw."""
        surv = self.mixed[0]
        lo, hi = (start - self.dates[0]).days, (end - self.dates[0]).days
        return surv[:, lo] - surv[:, hi + 1]

    def p_by_end(self) -> np.ndarray:
        return 1.0 - self.mixed[0][:, -1]

    def venue_share(self) -> dict[str, np.ndarray]:
        at = self.mixed[1]
        share = at / np.maximum(at.sum(axis=1), 1e-300)[:, None]
        return {v: share[:, j] for j, v in enumerate(self.data.dyad.venue_ids)}

    def median_date(self) -> date | None:
        cdf = 1.0 - self.mixed[0][:, 1:].mean(axis=0)  # the posterior-mean CDF
        crossed = np.flatnonzero(cdf >= 0.5)
        return self.dates[int(crossed[0])] if len(crossed) else None


def fit_key(data: ModelData, sampler: dict) -> str:
    """A content hash of everything a fit depends on: the history's arrays, every prior, the
    venue model's data and the sampler settings. Two scenarios with one key have one posterior,
    whatever they assume about the horizon."""
    h = hashlib.sha256()

    def add(*values) -> None:
        for v in values:
            arr = np.ascontiguousarray(np.asarray(v, dtype=float))
            h.update(str(arr.shape).encode())
            h.update(arr.tobytes())

    hist = data.history
    h.update(repr(list(hist.names)).encode())
    add(hist.X, hist.exposure, hist.events)
    priors = [data.baseline, *(t.prior for t in data.timing_terms), *data.venue_odds]
    priors += [t.prior for t in data.venue_terms]
    add([[p.mu, p.sigma] for p in priors])
    h.update(repr([t.name for t in data.venue_terms]).encode())
    h.update(repr(list(data.dyad.venue_ids)).encode())
    add(data.venue_attrs, data.venue_choice)
    h.update(repr(sorted(sampler.items())).encode())
    return h.hexdigest()


@dataclass(frozen=True)
class Row:
    """One quantity of the comparison: its label and kind, and per item the draws (or None
    where it does not apply)."""

    label: str
    kind: str  # "headline", "window", "venue"
    key: str  # the window's dates, the venue id
    values: tuple[np.ndarray | None, ...]


@dataclass
class Comparison:
    """The compared items, their rows, and how each difference against the first was taken."""

    items: list[Item]
    rows: list[Row]
    seed: int = 0

    def method(self, i: int) -> str:
        """How item ``i``'s differences against the first are computed."""
        return "shared draws" if self.items[i].group == self.items[0].group else "independent draws"

    def difference(self, row: Row, i: int) -> np.ndarray | None:
        """(D,) per-draw difference of item ``i`` minus the first on ``row``."""
        a, b = row.values[0], row.values[i]
        if a is None or b is None:
            return None
        if self.method(i) == "shared draws":
            return b - a
        rng = np.random.default_rng(self.seed + i)
        n = min(len(a), len(b))
        return rng.permutation(b)[:n] - rng.permutation(a)[:n]

    def to_dict(self) -> dict:
        """comparison.json: the items, and every row's summaries and differences."""
        return {
            "schema": COMPARISON_SCHEMA,
            "items": [
                {
                    "name": it.name,
                    "source": it.source,
                    "dataset": it.data.record.meta.name,
                    "as_of": it.data.scenario.as_of.isoformat(),
                    "horizon_end": it.data.scenario.horizon_end.isoformat(),
                    "median_date": _iso(it.median_date()),
                    "draws": int(len(it.draws.log_rate)),
                    "difference_method": None if i == 0 else self.method(i),
                }
                for i, it in enumerate(self.items)
            ],
            "interval": list(INTERVAL),
            "rows": [
                {
                    "label": r.label,
                    "kind": r.kind,
                    "key": r.key,
                    "values": [None if v is None else summarise(v) for v in r.values],
                    "differences": [None]
                    + [
                        None if (d := self.difference(r, i)) is None else summarise(d)
                        for i in range(1, len(self.items))
                    ],
                }
                for r in self.rows
            ],
        }


def summarise(values: np.ndarray) -> dict:
    """Mean and 80% interval of draws."""
    lo, hi = np.quantile(values, INTERVAL)
    return {"p": float(np.mean(values)), "lo": float(lo), "hi": float(hi)}


def _iso(d: date | None) -> str | None:
    return None if d is None else d.isoformat()


def _day(d: date) -> str:
    return f"{d.day} {d:%b %Y}"


def compare(items: Sequence[Item], seed: int = 0) -> Comparison:
    """The rows of a comparison of ``items`` (at least two)."""
    if len(items) < 2:
        raise ValueError("expected at least two items to compare")
    rows: list[Row] = []
    ends = {it.data.scenario.horizon_end for it in items}
    label = (
        f"summit by {_day(next(iter(ends)))}"
        if len(ends) == 1
        else "summit by the horizon's end (each its own)"
    )
    rows.append(Row(label, "headline", "by_horizon_end", tuple(it.p_by_end() for it in items)))
    seen: dict[tuple[date, date], str] = {}
    for it in items:
        for w in it.data.scenario.windows:
            seen.setdefault((w.start, w.end), w.name)
    for (start, end), name in sorted(seen.items()):
        values = tuple(it.p_between(start, end) if it.covers(start, end) else None for it in items)
        first = f"{start.day} {start:%b}" if start.year == end.year else _day(start)
        rows.append(Row(f"{name}, {first} – {_day(end)}", "window", f"{start}..{end}", values))
    labels: dict[str, str] = {}
    for it in items:
        labels.update({v: it.data.dyad.venue_label(v) for v in it.data.dyad.venue_ids})
    shares = [it.venue_share() for it in items]
    for v, text in labels.items():
        values = tuple(s.get(v) for s in shares)
        rows.append(Row(f"venue: {text}", "venue", v, values))
    return Comparison(list(items), rows, seed)


def items_from_runs(paths: Sequence[str | Path]) -> list[Item]:
    """Saved run directories as items (their posteriors read back, no sampling); runs whose
    posterior draws are identical share them."""
    from forecast.io.rundir import load_run

    out = []
    for path in paths:
        saved = load_run(path)
        draws = Draws.from_dataset(saved.idata["posterior"].to_dataset())
        out.append(
            Item(saved.scenario.name, str(path), saved.model_data(), draws, draws_key(draws))
        )
    return out


def draws_key(draws: Draws) -> str:
    """A content hash of posterior draws: two runs with one key share their draws."""
    h = hashlib.sha256()
    arrays = [draws.log_rate, draws.beta, draws.venue_asc, draws.venue_beta]
    arrays += [a for a in (draws.announce_logit, draws.framed_logit) if a is not None]
    for arr in arrays:
        h.update(str(arr.shape).encode())
        h.update(np.ascontiguousarray(arr, dtype=float).tobytes())
    return h.hexdigest()
