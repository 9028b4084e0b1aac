"""Terms that are 'on' while a state period of the record holds: war, border closure."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from forecast.terms.base import Context, TimingTerm, register


@dataclass(frozen=True)
class PeriodTerm(TimingTerm):
    """On (1) on the days inside a period of the record whose state is the term's kind."""

    def column(self, ctx: Context) -> np.ndarray:
        return ctx.in_period(self.kind)


@register
@dataclass(frozen=True)
class War(PeriodTerm):
    """While Russia is at war with Ukraine (the record's ``war`` period; a ceasefire on the
    horizon is the separate ``ceasefire`` term, so the war's multiplier still applies)."""

    kind = "war"
    default = dict(low=0.5, high=6.0, confidence=0.8)
    label = "while Russia is at war with Ukraine"
    documented = "docs/model.md §3.3 (war and ceasefire); default §5.3"


@register
@dataclass(frozen=True)
class BorderClosure(PeriodTerm):
    kind = "border_closure"
    default = dict(low=0.02, high=0.5, confidence=0.9)
    label = "while the DPRK border is closed"
    documented = "docs/model.md §3.3 (border closure); default §5.3"
