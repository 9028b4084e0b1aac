"""Announced meetings: the hazard that a signal stating dates or a window is borne out.

An official announcement with dates says that the meeting will take place inside a window.
The model reads it as a claim that is kept with probability ``q`` (a parameter of the model,
``announce_logit = logit(q)``), the meeting then falling on any day of the window with equal
probability, independently of the background hazard of an unannounced meeting. On the ``k``-th
of the window's ``L`` days, given no meeting yet, the announced meeting comes that day with
probability ``(q / L) / (1 - q (k - 1) / L)``; as a constant hazard over the day that is

    c_k(q) = log(L - q (k - 1)) - log(L - q k)            (per day),

and over the whole window the hazards add up to ``-log(1 - q)``: a meeting inside the window
with probability ``q`` (docs/model.md §3.5). The day's total hazard is the background's plus
``c_k``. A signal's ``reliability`` ``r`` multiplies the odds of ``q``: ``q_r = r q / (1 - q +
r q)``.

A *time-framed* signal (any other signal for a meeting that states a window: a confirmation
of attendance on May 9, a report of a visit in the coming days, an assessment of a trip within
the month) is the same kind of claim with its own probability of being borne out, ``q_f``
(``framed_logit``): the record holds such claims that were borne out (2019, 2023) and some that
were not (2015, 2018, the first half of 2025), so ``q_f`` is a parameter of its own, not ``q``.

Which claim counts on a day: among the live ones (:func:`~forecast.terms.signal_live.
live_signals`, so a cancellation or the meeting ends it) whose window holds the day, counted
from the day after the signal, an official announcement before any time-framed signal (the
official dates supersede what sources said), then the one with the shortest window (the most
specific statement), then the largest reliability. A meeting from a claim is at the venue the
signal names (:func:`~forecast.terms.signal_venue.named_venues`); one that names none follows
the venue model. A claim that stops counting before its window ends (a better claim came, or a
cancellation) is still scored on its other days (:func:`claim_outcomes`), so that how a
claim ended is not lost to ``q`` and ``q_f``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from forecast.domain.signals import ANNOUNCEMENT, Signal
from forecast.priors.elicit import Prior, prior_from_probability_range
from forecast.terms.base import Context, day_mask
from forecast.terms.signal_live import Live, live_signals
from forecast.terms.signal_venue import named_venues

#: The default prior of ``q`` as an analyst would state it (docs/model.md §3.5). Of the dated
#: announcements of a meeting in the other pairs' records (Singapore twice, Hanoi, Xi's 2019
#: visit to Pyongyang, Kim's 2025 trip to Beijing), one was called off: the first Singapore
#: announcement, cancelled by letter on 2018-05-24 and reinstated on 06-01. State visits
#: announced with dates are rarely cancelled, but it happens.
DEFAULT_KEPT = dict(
    low=0.6,
    high=0.97,
    confidence=0.8,
    label="an official announcement with dates is kept (a meeting inside its window)",
)


def kept_prior() -> Prior:
    """The prior of ``announce_logit`` (the log odds of ``q``), from :data:`DEFAULT_KEPT`."""
    return prior_from_probability_range(**DEFAULT_KEPT)


#: The default prior of ``q_f``, a time-framed signal borne out (docs/model.md §3.5): as likely
#: as not, and anywhere from one in five to four in five, 80% sure. A confirmation or a report
#: naming a time frame is far less binding than an announcement with dates: the Kremlin
#: "confirmed" Kim for May 9, 2015 and he did not come; reports and intelligence named the right
#: weeks in 2019 and 2023 and the wrong months in 2018. The record's own claims update it.
DEFAULT_FRAMED = dict(
    low=0.2,
    high=0.8,
    confidence=0.8,
    label="a time-framed signal is borne out (a meeting inside the window it states)",
)


def framed_prior() -> Prior:
    """The prior of ``framed_logit`` (the log odds of ``q_f``), from :data:`DEFAULT_FRAMED`."""
    return prior_from_probability_range(**DEFAULT_FRAMED)


#: The component's name in the outputs (where a signal's term is named).
NAME = "announced_meeting"
#: The time-framed signals' component (the sensitivity's name for ``q_f``).
FRAMED_NAME = "framed_claim"


@dataclass(frozen=True)
class Announced:
    """Per day: the counting claim's reliability (0: none), its window's length ``L`` in days,
    the day's place ``k`` in it (1-based; 0: none), the venue distribution it states (zeros
    where it states none), and whether it is a time-framed signal's (1) rather than an official
    announcement's (0)."""

    reliability: np.ndarray  # (T,)
    length: np.ndarray  # (T,)
    day: np.ndarray  # (T,)
    venue: np.ndarray  # (T, J)
    framed: np.ndarray  # (T,) 1.0 where the claim is a time-framed signal's

    @property
    def any(self) -> bool:
        """Whether an announcement counts on any of the days."""
        return bool(np.any(self.reliability > 0))

    def take(self, index: np.ndarray) -> Announced:
        """The same, on the days ``index`` only."""
        return Announced(
            self.reliability[index],
            self.length[index],
            self.day[index],
            self.venue[index],
            self.framed[index],
        )


def none(days: int, venues: int) -> Announced:
    """No claim on any of ``days`` days."""
    z = np.zeros(days)
    return Announced(z, np.ones(days), z.copy(), np.zeros((days, venues)), z.copy())


#: Longer than any window: a time-framed signal ranks after every official announcement.
LONGEST = 10**6


def claim_of(signal: Signal) -> str | None:
    """The claim a signal is read as: :data:`NAME` for an official announcement with dates,
    :data:`FRAMED_NAME` for a time-framed signal (any other signal for a meeting that states
    a window), None for one that is no claim."""
    if signal.kind == ANNOUNCEMENT:
        return NAME
    if signal.window_end is not None and signal.effective_stance == "for":
        return FRAMED_NAME
    return None


@dataclass(frozen=True)
class _Claim:
    """A live claim: the signal, what claim it is (:func:`claim_of`), its first counted day and
    its window's length."""

    live: Live
    kind: str
    first: date
    length: int

    @property
    def signal(self) -> Signal:
        return self.live.signal

    @property
    def rank(self) -> int:
        """Lower counts first: an official announcement before a time-framed signal, then the
        shorter window."""
        return self.length + (LONGEST if self.kind == FRAMED_NAME else 0)

    def window(self, days: np.ndarray) -> np.ndarray:
        """True on the ``days`` of its window on which it is live."""
        return (day_mask(days, self.first, self.signal.window_end) > 0) & self.live.on(days)


def _claims(lives: list[Live]) -> list[_Claim]:
    out = []
    for live in lives:
        s = live.signal
        claim = claim_of(s)
        if claim is None:
            continue
        first = max(s.window_from, s.date + timedelta(days=1))
        length = (s.window_end - first).days + 1
        if length >= 1:
            out.append(_Claim(live, claim, first, length))
    return out


def claim_days(live: Live, days: np.ndarray) -> np.ndarray:
    """True on the ``days`` of a signal's claim window on which it is live (whether or not it
    is the claim that counts there); all False for a signal that makes no claim."""
    claims = _claims([live])
    return claims[0].window(days) if claims else np.zeros(len(days), dtype=bool)


def _counting(days: np.ndarray, claims: list[_Claim], within: int | None = None) -> np.ndarray:
    """Per day, the index in ``claims`` of the claim that counts (-1: none); with ``within``,
    among the claims dated fewer than ``within`` days before the day only."""
    winner = np.full(len(days), -1)
    best = np.full(len(days), np.inf)  # the counting claim's (class, window length) as one number
    rel = np.zeros(len(days))
    for i, c in enumerate(claims):
        on = c.window(days)
        if within is not None:
            on &= c.live.made_within(days, within)
        r = c.signal.reliability
        better = on & ((c.rank < best) | ((c.rank == best) & (r > rel)))
        winner[better], best[better], rel[better] = i, c.rank, r
    return winner


def _fill(out: Announced, rows: np.ndarray, claim: _Claim, days: np.ndarray, dyad) -> None:
    """Write ``claim``'s values on ``out``'s ``rows`` (the claim's ``days``)."""
    s = claim.signal
    out.reliability[rows] = s.reliability
    out.length[rows] = claim.length
    out.day[rows] = (days - np.datetime64(claim.first, "D")).astype(int) + 1
    if out.venue.shape[1]:
        out.venue[rows] = named_venues(s, dyad)
    out.framed[rows] = 1.0 if claim.kind == FRAMED_NAME else 0.0


@dataclass(frozen=True)
class Counting:
    """The live claims of a context and, per day, the index of the one that counts (-1: none)."""

    claims: list[_Claim]
    winner: np.ndarray  # (T,)

    def ids(self) -> np.ndarray:
        """Per day, the id of the counting claim's signal ("" where none counts)."""
        ids = np.array([""] + [c.signal.id for c in self.claims], dtype=object)
        return ids[self.winner + 1]


def counting(ctx: Context) -> Counting:
    """Which claim counts on each of ``ctx.days`` (see the module docstring)."""
    claims = _claims(live_signals(ctx))
    return Counting(claims, _counting(ctx.days, claims))


def counting_within(ctx: Context, within: int, lives: list[Live] | None = None) -> Counting:
    """:func:`counting` among the claims dated fewer than ``within`` days before each day (the
    claims a forecast made ``within`` days earlier had not yet heard; :mod:`forecast.design.
    news`); ``lives`` is ``live_signals(ctx)`` when the caller has it. Computed day by day, so
    ``ctx.days`` may be any days."""
    claims = _claims(live_signals(ctx) if lives is None else lives)
    return Counting(claims, _counting(ctx.days, claims, within))


def announced_days(ctx: Context, counted: Counting | None = None) -> Announced:
    """The claim that counts on each of ``ctx.days`` (see the module docstring); ``counted``
    is :func:`counting`'s result for ``ctx`` when the caller has it."""
    counted = counting(ctx) if counted is None else counted
    out = none(len(ctx.days), len(ctx.dyad.venue_ids))
    for i, c in enumerate(counted.claims):
        rows = np.flatnonzero(counted.winner == i)
        if len(rows):
            _fill(out, rows, c, ctx.days[rows], ctx.dyad)
    return out


@dataclass(frozen=True)
class Outcomes:
    """Claims scored on days on which they do not count (:func:`claim_outcomes`): per entry,
    the claim's values as in :class:`Announced` (no venue) and whether the meeting came that
    day."""

    claims: Announced  # (E,) entries; venue (E, 0)
    met: np.ndarray  # (E,) 1.0 on the meeting's day

    def __len__(self) -> int:
        return len(self.met)


def no_outcomes() -> Outcomes:
    """No claim scored off its counting days."""
    return Outcomes(none(0, 0), np.zeros(0))


def claim_outcomes(
    ctx: Context, summits: np.ndarray, active: np.ndarray, counted: Counting | None = None
) -> Outcomes:
    """Every claim of the history scored over the whole of its window, not only where it counts.

    Only one claim counts on a day (the module docstring), and a claim stops counting when a
    better one arrives or a cancellation ends it. Both ends say something about whether it
    would have been borne out: an official announcement of the dates inside a report's window
    comes when the report was right, a cancellation when the claim was wrong. Leaving such a
    claim's remaining days out of the fit (censoring it there) would bias ``q`` and ``q_f``: a
    report superseded by the official dates would get no credit for the meeting it announced,
    a confirmation for May 9 cancelled on April 30 (2015) no blame.

    So each claim that is the most specific of its class (official announcements, time-framed
    signals) on at least one day when cancellations are ignored is also scored on the other
    days of its window on which it is live when cancellations are ignored. A claim never the
    most specific of its class is a repetition of one that is, and is not scored again; the
    classes are apart because each has its own parameter, so that a report made on the day of
    the official announcement (Kyodo's dates of 2019-04-18) is evidence about ``q_f`` although
    the announcement outranks it on every day. On each such day the claim is scored by the
    probability that it is borne out that day (the meeting's day) or not (any other day),
    given not before. With its counting days' terms of the day's hazard, a claim's score over
    its window is then that of a claim alone: ``1 - q_r`` if the meeting did not come inside
    it, ``q_r / L`` if it came on a day the claim did not count (where it counted, the
    meeting's day is shared with the background hazard as before; docs/model.md §3.5). Days
    the dyad cannot meet (``active == 0``) are left out, as in the segments.

    Parameters
    ----------
    ctx
        The history's context (its days end on ``as_of``).
    summits, active
        Per day of ``ctx.days``: the dyad's meetings that day, and whether it can meet.
    counted
        :func:`counting`'s result for ``ctx`` when the caller has it.
    """
    days = ctx.days
    ids = (counting(ctx) if counted is None else counted).ids()  # who counts each day
    claims = _claims(live_signals(ctx, cancellations=False))
    entries = []
    for kind in (NAME, FRAMED_NAME):
        group = [c for c in claims if c.kind == kind]
        chain = _counting(days, group)  # the most specific of the class, each day
        for i, c in enumerate(group):
            if np.any(chain == i):
                rows = np.flatnonzero(c.window(days) & (ids != c.signal.id) & (active > 0))
                entries += [(c, rows)] if len(rows) else []
    n = sum(len(rows) for _, rows in entries)
    out, met, at = none(n, 0), np.zeros(n), 0
    for c, rows in entries:
        span = np.arange(at, at + len(rows))
        _fill(out, span, c, days[rows], ctx.dyad)
        met[span] = (summits[rows] > 0).astype(float)
        at += len(rows)
    return Outcomes(out, met)


def outcome_logp(q, q_framed, outcomes: Outcomes, log=np.log):
    """The claims' scores off their counting days (:func:`claim_outcomes`), summed: on each
    entry's day ``k`` of ``L``, ``log(q_r) - log(L - q_r (k - 1))`` on the meeting's day and
    ``-c_k`` on any other (``q``, ``q_framed`` and ``log`` as in :func:`daily_hazard`)."""
    c = outcomes.claims
    q_day = q + (q_framed - q) * c.framed
    qr = kept_probability(q_day, c.reliability)
    before = log(c.length - qr * (c.day - 1.0))
    met = outcomes.met
    # the meeting's day: log(qr) - before; any other: log(L - qr k) - before. Written as one
    # log so that no branch takes log(0) (qr is 0 only on padding, never on a meeting's day)
    return (log(met * qr + (1.0 - met) * (c.length - qr * c.day)) - before).sum(axis=-1)


def kept_probability(q, reliability):
    """``q`` with its odds multiplied by ``reliability`` (array-library agnostic)."""
    return reliability * q / (1.0 - q + reliability * q)


def daily_hazard(q, q_framed, announced: Announced, log=np.log):
    """The claimed meeting's hazard on each day (per day): ``c_k`` of the module docstring,
    with ``q`` on an official announcement's days and ``q_framed`` on a time-framed signal's,
    0 where no claim counts. ``q`` and ``q_framed`` may be scalars or (D, 1) arrays of draws;
    ``log`` is the array library's logarithm (NumPy, PyTensor or JAX)."""
    q_day = q + (q_framed - q) * announced.framed
    qr = kept_probability(q_day, announced.reliability)
    length, k = announced.length, announced.day
    return log(length - qr * (k - 1.0)) - log(length - qr * k)
