"""Estimative language: a probability -> the phrase analysts use for it.

Two yardsticks are offered:

``icd203``
    US Intelligence Community Directive 203 (2015), the default. Its seven bands touch each
    other: almost no chance 1–5%, very unlikely 5–20%, unlikely 20–45%, roughly even chance
    45–55%, likely 55–80%, very likely 80–95%, almost certain 95–99%.
``phia``
    The UK Professional Head of Intelligence Assessment "probability yardstick" (2019). Its
    bands leave deliberate gaps (5–10%, 20–25%, 35–40%, 50–55%, 75–80%, 90–95%) so that a
    number is not forced into a phrase it does not fit; a probability in a gap is reported as
    lying between the two phrases, never rounded into one of them.

Convention (documented in docs/report.md): the phrase is chosen for the probability *as
printed*, a whole percentage (so the phrase always matches the number a reader sees). On the
ICD 203 scale a value exactly on a boundary takes the phrase nearer to even chance (5% is "very
unlikely", 20% "unlikely", 55% "roughly even chance", 80% "likely", 95% "very likely"): a
boundary never buys the more confident word. 0% and 100% fall in the outermost bands. The PHIA
bands are closed intervals (10% and 20% are both "highly unlikely").
"""

from __future__ import annotations

from dataclasses import dataclass

SCALES = ("icd203", "phia")


@dataclass(frozen=True)
class Band:
    """A phrase and the whole percentages it covers, ``low..high`` inclusive."""

    phrase: str
    low: int
    high: int
    stated: str  # the range as the yardstick itself states it


#: ICD 203, with the boundary convention applied (inclusive whole-percent ranges).
ICD203: tuple[Band, ...] = (
    Band("almost no chance", 0, 4, "1–5%"),
    Band("very unlikely", 5, 19, "5–20%"),
    Band("unlikely", 20, 44, "20–45%"),
    Band("roughly even chance", 45, 55, "45–55%"),
    Band("likely", 56, 80, "55–80%"),
    Band("very likely", 81, 95, "80–95%"),
    Band("almost certain", 96, 100, "95–99%"),
)

#: The PHIA probability yardstick (2019); the numbers between bands are its gaps.
PHIA: tuple[Band, ...] = (
    Band("remote chance", 0, 5, "≈0–5%"),
    Band("highly unlikely", 10, 20, "10–20%"),
    Band("unlikely", 25, 35, "25–35%"),
    Band("realistic possibility", 40, 50, "40–50%"),
    Band("likely or probably", 55, 75, "55–75%"),
    Band("highly likely", 80, 90, "80–90%"),
    Band("almost certain", 95, 100, "95–100%"),
)

TITLES = {
    "icd203": "ICD 203 (US Intelligence Community Directive 203, 2015)",
    "phia": "PHIA probability yardstick (UK Professional Head of Intelligence Assessment, 2019)",
}


@dataclass(frozen=True)
class Phrase:
    """The estimative phrase of one probability."""

    text: str  # what the report prints, e.g. "unlikely" or "between 'x' and 'y' (a gap ...)"
    percent: int  # the whole percentage the phrase was chosen for
    gap: bool = False


def bands(scale: str) -> tuple[Band, ...]:
    """The bands of ``scale`` ("icd203" or "phia")."""
    if scale == "icd203":
        return ICD203
    if scale == "phia":
        return PHIA
    raise ValueError(f"unknown scale {scale!r}; expected one of {', '.join(SCALES)}")


def printed_percent(p: float) -> int:
    """The whole percentage the report prints for ``p``, rounded half up (0.125 -> 13)."""
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"expected a probability in [0, 1], got {p!r}")
    return min(100, int(100 * p + 0.5 + 1e-9))


def phrase(p: float, scale: str = "icd203") -> Phrase:
    """The estimative phrase for probability ``p`` on ``scale``.

    Examples
    --------
    >>> phrase(0.20).text
    'unlikely'
    >>> phrase(0.07, "phia").text
    "between 'remote chance' and 'highly unlikely' (a gap in the PHIA yardstick)"
    """
    pct = printed_percent(p)
    table = bands(scale)
    for band in table:
        if band.low <= pct <= band.high:
            return Phrase(band.phrase, pct)
    below = max((b for b in table if b.high < pct), key=lambda b: b.high)
    above = min((b for b in table if b.low > pct), key=lambda b: b.low)
    return Phrase(
        f"between '{below.phrase}' and '{above.phrase}' (a gap in the PHIA yardstick)",
        pct,
        gap=True,
    )
