"""News to come: what the signals not yet made add to a horizon's hazard (docs/model.md §3.5).

With the signal terms in the fit, the record's meetings are explained mostly by the news before
them, and the hazard of a day without news (``l0``: every signal column zero, no claim) is far
below the record's rate. A forecast hears only the news known on ``as_of``, but a meeting ``h``
days later may follow news made in between, as every meeting of the record did. How much such
news adds is read off the record's meetings, with the fit's own parameters: on each meeting's
day ``m``, the share of the day's hazard due to the news made fewer than ``h`` days before it,

    s_h(m) = [l0(m) (exp(b . x_h(m)) - 1) + a_h(m)] / [l0(m) exp(b . x(m)) + a(m)]

(``x`` the day's signal columns and ``a`` its claim's hazard; ``x_h`` and ``a_h`` the same from
that news only: :func:`~forecast.terms.signals_decaying.decayed_sum` and :func:`~forecast.
design.announced.counting_within` with ``within``), clipped to [0, 1], is the part of that
meeting the young news explains. Against the meetings the no-news hazard gives the whole
history, ``L0 = sum over the history of l0``, the news of ``h`` days multiplies the hazard by

    G_h = 1 + sum_m s_h(m) / L0,

and the horizon's hazard ``h`` days after ``as_of`` (live signals included) is multiplied by
``G_h``: the news of the next ``h`` days is expected to bring meetings as it did in the record,
in proportion to the no-news hazard of the day. ``G_1 = 1`` (news counts from the day after it
is made); ``G_h`` grows with ``h`` as the record's meetings' lead times are passed (two to nine
days from the first report or the official dates), and ``L0 G_h`` for a long ``h`` is the
no-news meetings plus the news-explained ones, about the record's count: a year ahead the
forecast is back near the record's rate. Signals that no meeting followed add nothing (they
explain none), and their failure is already in the fit. ``G_h`` is taken at a fixed ladder of
lags (:data:`LAGS`), each horizon day at the longest lag not after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from forecast.design.announced import Announced, announced_days, counting_within, daily_hazard
from forecast.domain.vocab import DAYS_PER_YEAR
from forecast.terms import Context, TimingTerm
from forecast.terms.signal_live import live_signals
from forecast.terms.signals_decaying import DecayingSignals

#: The lags (days after ``as_of``) at which ``G_h`` is computed; a horizon day takes the longest
#: lag not after it. Daily in the first two weeks (the record's meetings came two to nine days
#: after the first report or the official dates), then weeks, months, a year.
LAGS = (1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 21, 30, 45, 60, 90, 120, 180, 365)


@dataclass(frozen=True)
class NewsToCome:
    """What :func:`uplift` needs: the history's no-news covariates per segment (with exposure)
    and, on each meeting's day, its covariates, its news and its news younger than each lag."""

    base: np.ndarray  # (S, K) every segment of the history, signal columns zero
    exposure: np.ndarray  # (S,) years
    meeting_dates: np.ndarray  # (M,) datetime64[D], the meetings in the fit
    meeting_base: np.ndarray  # (M, K) each meeting's day, signal columns zero
    meeting_signal: np.ndarray  # (M, K) the day's signal columns (every other column zero)
    meeting_claim: Announced  # (M,) the claim counting that day
    young_signal: np.ndarray  # (B, M, K) the same from the news younger than each lag
    young_claim: tuple[Announced, ...]  # (B,) of (M,)
    lags: tuple[int, ...] = LAGS
    #: the last draws' ``G_h`` (every path and every summary of a run reads the same draws)
    _memo: dict = field(default_factory=dict, compare=False, repr=False)

    def lag_index(self, n_days: int) -> np.ndarray:
        """(T,) for horizon days 1..T after ``as_of``, the index of the lag each takes."""
        return np.searchsorted(np.array(self.lags), np.arange(1, n_days + 1), side="right") - 1

    def factor(self, draws: tuple[np.ndarray | None, ...], n_days: int) -> np.ndarray:
        """(D, T) ``G_h`` on horizon days 1..T after ``as_of`` (:func:`uplift` at the longest
        lag not after each day); ``draws`` as :func:`uplift` takes them after ``news``."""
        key = tuple(map(id, draws))
        held = self._memo.get("last")
        if held is None or held[0] != key:
            # the arrays are held with the key, so their ids cannot be reused while it is kept
            self._memo["last"] = (key, draws, uplift(self, *draws))
        return self._memo["last"][2][:, self.lag_index(n_days)]


def signal_columns(terms: list[TimingTerm]) -> np.ndarray:
    """(K,) True at the columns of the signal terms."""
    return np.array([isinstance(t, DecayingSignals) for t in terms], dtype=bool)


def news_to_come(
    ctx: Context,
    terms: list[TimingTerm],
    X: np.ndarray,
    meetings: np.ndarray,
    base: np.ndarray,
    exposure: np.ndarray,
) -> NewsToCome:
    """The record's news as :func:`uplift` reads it.

    Parameters
    ----------
    ctx
        The history's context (its days end on ``as_of``).
    terms, X
        The timing terms and their daily columns over ``ctx.days``.
    meetings
        (T,) True on the history's days with a meeting in the fit (a day the dyad can meet).
    base, exposure
        The history's segments' covariates and exposures (years); signal columns are zeroed.
    """
    is_signal = signal_columns(terms)
    rows = np.flatnonzero(meetings)
    day = X[rows]
    # the signal columns and the claims are computed day by day, so on the meetings' days only
    at = replace(ctx, days=ctx.days[rows])
    lives = live_signals(at)
    young, claims = [], []
    for lag in LAGS:
        cols = np.zeros_like(day)
        for k, t in enumerate(terms):
            if is_signal[k]:
                cols[:, k] = t.column_of(at.days, lives, within=lag)
        young.append(cols)
        claims.append(announced_days(at, counting_within(at, lag, lives)))
    return NewsToCome(
        base=np.where(is_signal[None, :], 0.0, base),
        exposure=exposure,
        meeting_dates=ctx.days[rows],
        meeting_base=np.where(is_signal[None, :], 0.0, day),
        meeting_signal=np.where(is_signal[None, :], day, 0.0),
        meeting_claim=announced_days(at),
        young_signal=np.stack(young),
        young_claim=tuple(claims),
    )


def _sigmoid(x: np.ndarray) -> np.ndarray:
    # NumPy's own, not scipy.special.expit: a cached re-run must not import SciPy
    # (tests/test_pipeline.py::test_what_each_path_imports)
    return 1.0 / (1.0 + np.exp(-x))


def meeting_shares(
    news: NewsToCome,
    log_rate: np.ndarray,
    beta: np.ndarray,
    announce_logit: np.ndarray | None = None,
    framed_logit: np.ndarray | None = None,
) -> np.ndarray:
    """(D, B, M) ``s_h(m)`` per draw, lag and meeting: the part of each meeting's day hazard
    due to the news made fewer than ``h`` days before it (see the module docstring).

    ``log_rate`` (D,), ``beta`` (D, K), ``announce_logit`` and ``framed_logit`` (D,) are the
    draws (:class:`~forecast.predict.Draws`); without the last two, claims add nothing.
    """
    out = np.zeros((len(log_rate), len(news.lags), len(news.meeting_base)))
    if not len(news.meeting_base):
        return out
    claims = None
    if announce_logit is not None and framed_logit is not None:
        claims = (_sigmoid(announce_logit)[:, None], _sigmoid(framed_logit)[:, None])
    l0 = np.exp(log_rate[:, None] + beta @ news.meeting_base.T) / DAYS_PER_YEAR  # (D, M)
    day = l0 * np.exp(beta @ news.meeting_signal.T)
    if claims is not None:
        day = day + daily_hazard(*claims, news.meeting_claim)
    for b in range(len(news.lags)):
        young = l0 * np.expm1(beta @ news.young_signal[b].T)
        if claims is not None:
            young = young + daily_hazard(*claims, news.young_claim[b])
        share = np.divide(young, day, out=np.zeros_like(day), where=day > 0)
        out[:, b] = np.clip(share, 0.0, 1.0)
    return out


def uplift(
    news: NewsToCome,
    log_rate: np.ndarray,
    beta: np.ndarray,
    announce_logit: np.ndarray | None = None,
    framed_logit: np.ndarray | None = None,
) -> np.ndarray:
    """(D, B) ``G_h`` per draw at each lag of ``news.lags`` (see the module docstring), the
    draws as :func:`meeting_shares` takes them."""
    total = (np.exp(log_rate[:, None] + beta @ news.base.T) * news.exposure[None, :]).sum(axis=1)
    shares = meeting_shares(news, log_rate, beta, announce_logit, framed_logit)
    return 1.0 + shares.sum(axis=2) / total[:, None]
