"""How the report prints numbers and dates: probabilities, intervals, dates, multipliers.

Every number of the report is formatted with these (by :mod:`forecast.report.sections`, and by
:mod:`forecast.report.track` for the track record), so the PDF prints a probability as a whole
percentage rounded the same way everywhere (:func:`~forecast.report.estimative.printed_percent`,
the rounding the estimative phrase is chosen for).
"""

from __future__ import annotations

from datetime import date

from forecast.report.estimative import printed_percent


def pct(p: float | None) -> str:
    """A probability as the report prints it: a whole percentage ("<1%" / ">99%" at the ends)."""
    if p is None:
        return "n/a"
    whole = printed_percent(p)
    if whole == 0 and p > 0:
        return "<1%"
    if whole == 100 and p < 1:
        return ">99%"
    return f"{whole}%"


def interval(lo: float, hi: float) -> str:
    """An 80% interval, e.g. "14–66%" ("0–5%" when the lower end rounds to 0)."""
    if printed_percent(hi) == 0:
        return "all below 1%" if hi > 0 else "0–0%"
    low = "0" if printed_percent(lo) == 0 else pct(lo).rstrip("%")
    return f"{low}–{pct(hi)}"


def day(value: str | date | None) -> str:
    """A date as the report prints it, e.g. "12 May 2025"."""
    if value is None:
        return "n/a"
    d = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{d.day} {d:%b %Y}"


def span(start: str | date, end: str | date) -> str:
    """A date range, e.g. "5 Jun – 3 Jul 2025" (the year once when both ends share it)."""
    a, b = (d if isinstance(d, date) else date.fromisoformat(d) for d in (start, end))
    first = f"{a.day} {a:%b}" if a.year == b.year else day(a)
    return f"{first} – {day(b)}"


def multiplier(x: float) -> str:
    """A multiplier, e.g. "2.5×" (two significant digits; a whole number from 10 up)."""
    return f"{x:.2g}×" if x < 10 else f"{x:.0f}×"


def points(new: float, old: float) -> str:
    """A change in percentage points of printed values, e.g. "−6 pts"."""
    diff = printed_percent(new) - printed_percent(old)
    if diff == 0:
        return "no change"
    return f"{'+' if diff > 0 else '−'}{abs(diff)} pt{'s' if abs(diff) != 1 else ''}"
