"""The report's sections, one function each, from the forecast document (and, where a section
needs them, the run's model inputs and posterior draws) to plain, formatted data.

:func:`bluf` (the bottom line up front: the question, the three judgments and the median date),
:func:`alerts`, :func:`windows` (each window and the venue mix), :func:`indicators` (each
analyst's statement beside what the data made of it), :func:`defaults` (the effects nobody
stated), :func:`dataset` (the record the run used), :func:`diagnostics` and :func:`method`
(the dyad's words for the Method section). :func:`forecast.report.content.build` puts them
together; the numbers are printed with :mod:`forecast.report.formats`.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from forecast.analysis.influence import Influence, effect_values, influences
from forecast.design.prepare import ModelData
from forecast.io.document import Effect, ForecastDocument, as_document
from forecast.model.backends import BACKEND_LABELS
from forecast.predict import Draws
from forecast.report.estimative import TITLES, bands, phrase
from forecast.report.formats import day, interval, multiplier, pct, points, span

Z80 = NormalDist().inv_cdf(0.9)


def bluf(doc: ForecastDocument | dict, scale: str) -> dict:
    """The bottom line up front: the question, the setting, three judgments, the median date."""
    doc = as_document(doc)
    end, win = doc.headline.by_horizon_end, doc.headline.first_window
    top = doc.top_venue
    median = doc.median_date
    if median:
        when = f"{day(median)} ({_chance_by(doc, doc.date_quantiles.q10)})"
    else:
        when = f"after {day(doc.horizon_end)} (the probability of a summit by then stays below 50%)"
    cease = doc.ceasefire
    war = (
        "none stated (the dyad has no war or ceasefire term)" if cease is None else cease.describe()
    )
    return {
        "question": doc.question,
        "meta": [
            ["Scenario", doc.scenario],
            ["As of", day(doc.as_of)],
            ["Horizon", f"to {day(doc.horizon_end)}"],
            ["Assumption", war],
        ],
        "judgments": [
            {
                "label": f"Next summit by {day(doc.horizon_end)}",
                "p": pct(end.p),
                "interval": interval(end.lo, end.hi),
                "phrase": phrase(end.p, scale).text,
            },
            {
                "label": f"In the first window: {win.name}",
                "p": pct(win.p),
                "interval": interval(win.lo, win.hi),
                "phrase": phrase(win.p, scale).text,
            },
            {
                "label": "Likeliest venue, if they meet within the horizon",
                "p": pct(top.p),
                "interval": interval(top.lo, top.hi),
                "phrase": doc.venue_labels[top.venue],
            },
        ],
        "median": when,
        "scale": {
            "key": scale,
            "title": TITLES[scale],
            "bands": [[b.phrase, b.stated] for b in bands(scale)],
            "other": "phia" if scale == "icd203" else "icd203",
        },
    }


def _chance_by(doc: ForecastDocument, when) -> str:
    """ "a 27% chance of a summit by 17 Jun 2024": the probability ``by_date`` gives on that
    date, which may exceed 10% when the curve jumps past it in one day (an occasion)."""
    at = [point for point in doc.by_date if point.date <= when][-1]
    return f"a {pct(at.p)} chance of a summit by {day(when)}"


DRIVER_WORDS = {
    "exchanges": "recent high-level exchanges",
    "since_last_summit": "the time since the last summit",
    "war": "the war",
    "ceasefire": "a ceasefire",
    "border_closure": "the border closure",
    "scheduled_occasions": "scheduled occasions",
    "anniversaries": "anniversaries",
    "news_to_come": "the news still to come",
}
SMALL = 1.25  # a multiplier within [1/1.25, 1.25] is not named in the bottom line


def driver_words(doc: ForecastDocument) -> dict[str, str]:
    """Plain names of the decomposition's terms (an occasion indicator by its id)."""
    out = {}
    for t in doc.decomposition.terms if doc.decomposition else ():
        if t.kind == "occasion":
            out[t.name] = "the " + t.name.split(":", 1)[-1].replace("_", " ") + " window"
        else:
            out[t.name] = DRIVER_WORDS.get(t.kind, t.kind.replace("_", " "))
    return out


def drivers(doc: ForecastDocument | dict) -> dict | None:
    """The one-sentence answer to "why this number?" and the note on terms that cannot act.

    Reads ``decomposition``: the terms whose median multiplier is outside ±25% are named,
    largest first (at most three), with the base rate and the effective exposure they act on.
    """
    doc = as_document(doc)
    dec = doc.decomposition
    if dec is None:
        return None
    words = driver_words(doc)
    acting, inert = dec.acting()
    big = [t for t in acting if not 1 / SMALL <= t.multiplier.p50 <= SMALL][:3]

    def effect(t) -> str:
        m = t.multiplier.p50
        verb = "raises" if m > 1 else "lowers"
        return f"{words[t.name]} {verb} it {multiplier(m)}"

    head = f"{pct(doc.headline.by_horizon_end.p)} by {day(doc.horizon_end)}"
    rate = dec.baseline_per_year.p50
    months = 12 * dec.exposure_years.p50
    base = (
        f"a base rate of {rate:.2g} summits a year with every factor at its reference level, "
        f"over an effective {months:.1f} months of the horizon"
    )
    announced = dec.announced_share.p50 if dec.announced_share is not None else 0.0
    if announced >= 0.5:
        sentence = (
            f"{head}, mostly because an official announcement with dates is live: the chance "
            f"that it is kept makes {pct(announced)} of the hazard; the rest comes from {base}."
        )
    elif big:
        parts = [effect(t) for t in big]
        said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        sentence = f"{head}, mostly because {said}, from {base}."
    else:
        sentence = (
            f"{head}: close to {base}; no single factor moves the hazard by more than "
            f"{100 * (SMALL - 1):.0f}%."
        )
    identity = (
        "The base rate, the multipliers and the effective exposure multiply to the horizon's "
        "expected hazard in every posterior draw (docs/model.md §14.2)."
    )
    if dec.announced_share is not None:
        identity = (
            "The base rate, the multipliers and the effective exposure multiply to the part of "
            "the horizon's expected hazard that is not an announced meeting's (the announced "
            f"meetings' share: {pct(announced)}; docs/model.md §3.5 and §14.2)."
        )
    note = None
    if inert:
        names = ", ".join(words[t.name] for t in inert)
        note = f"Not acting on this horizon (zero on every day of it): {names}."
    return {"sentence": sentence, "inert": note, "words": words, "identity": identity}


def alerts(doc: ForecastDocument | dict) -> list[str]:
    """The alerts above the bottom line: sampling problems, then the document's warnings."""
    doc = as_document(doc)
    out = []
    problems = doc.diagnostics.problems
    if problems:
        out.append(
            "Sampling problems: "
            + "; ".join(problems)
            + ". The numbers in this report may be unreliable; re-run with more draws and "
            "tuning steps (see Diagnostics)."
        )
    out += [f"Warning: {w}" for w in doc.warnings]
    return out


def windows(doc: ForecastDocument | dict) -> dict:
    """The windows table (each window and its venue mix) and the venues, likeliest first."""
    doc = as_document(doc)
    labels = doc.venue_labels
    header = ["Window", "Dates", "P(next summit inside)"] + list(labels.values())
    rows = []
    for w in doc.windows:
        by = {v.venue: v for v in w.venues}
        rows.append(
            [w.name, span(w.start, w.end), [pct(w.p), interval(w.lo, w.hi)]]
            + [[pct(by[v].p), interval(by[v].lo, by[v].hi)] for v in labels]
        )
    venues = [
        [labels[v.venue], pct(v.p), interval(v.lo, v.hi)]
        for v in sorted(doc.venues, key=lambda v: -v.p)
    ]
    return {"header": header, "rows": rows, "venues": venues}


def verdict(effect: Effect | dict) -> str:
    """Did the data move the analysts' view? Compares the prior and posterior 80% intervals."""
    if not isinstance(effect, Effect):
        effect = Effect.model_validate(effect)
    mu, sigma = effect.prior_log_mu, effect.prior_log_sigma
    post = effect.posterior_multiplier
    width_prior = 2 * Z80 * sigma
    width_post = math.log(post.hi) - math.log(post.lo)
    shift = (math.log(post.p50) - mu) / sigma
    narrowed = 1 - width_post / width_prior
    if abs(shift) < 0.5 and narrowed < 0.25:
        return (
            "The data barely inform this effect: the posterior is essentially the analysts' "
            "view passed through."
        )
    direction = "up" if shift > 0 else "down"
    parts = []
    if abs(shift) >= 0.5:
        parts.append(f"moved the median {direction} by {abs(shift):.1f} prior standard deviations")
    if narrowed >= 0.25:
        parts.append(f"narrowed the 80% interval by {100 * narrowed:.0f}%")
    return "The data " + " and ".join(parts) + "."


def influence_text(inf: Influence, doc: ForecastDocument | dict) -> list[str]:
    """What leaving one statement out does to the forecast, one phrase per quantity it moves
    ("no effect: ..." for a statement whose term is zero over the whole horizon)."""
    doc = as_document(doc)
    if not inf.acts:
        return [
            "no effect: its term is zero on every day of the record and of this scenario's "
            "horizon, so this statement cannot move the forecast"
        ]
    out = []
    if inf.by_end:
        a, b = inf.by_end
        out.append(f"P(by {day(doc.horizon_end)}) {pct(a)} → {pct(b)} ({points(b, a)})")
    if inf.first_window:
        a, b = inf.first_window
        name = doc.headline.first_window.name.split(" (")[0]
        out.append(f"{name} window {pct(a)} → {pct(b)} ({points(b, a)})")
    if inf.venue:
        v, a, b = inf.venue
        label = doc.venue_labels[v]
        out.append(f"{label} {pct(a)} → {pct(b)} ({points(b, a)}); timing unaffected")
    return out


def indicators(
    doc: ForecastDocument | dict,
    data: ModelData,
    draws: Draws,
    horizon: tuple[np.ndarray, np.ndarray] | None = None,
) -> list[dict]:
    """One entry per stated indicator or judgment: the statement, its posterior, its influence
    (``horizon``: the run's survival and venue sums, see
    :func:`forecast.analysis.influence.influences`)."""
    doc = as_document(doc)
    out = []
    for inf in influences(data, draws, horizon):
        s = inf.stated
        e = doc.effect(s.effect)
        post = e.posterior_multiplier
        low, high = e.stated_range
        k_note = None
        if inf.pareto_k is not None:
            k, limit = inf.pareto_k, inf.k_threshold
            digits = 2
            while digits < 4 and round(k, digits) == round(limit, digits):
                digits += 1
            shown = f"{k:.{digits}f}".replace("-", "−")
            k_note = (
                f"Pareto k = {shown} ≤ {limit:.2g}: the weights are reliable"
                if inf.reliable
                else f"Pareto k = {shown} > {limit:.2g}: the weights are unreliable; read the "
                "shift as indicative only"
            )
        out.append(
            {
                "id": s.id,
                "effect": s.effect,
                "kind": {
                    "occasion": "occasion indicator (timing)",
                    "factor": "stated factor (timing; replaces the default prior)",
                    "venue": "venue judgment (replaces the default prior)",
                }[s.kind],
                "label": e.label,
                "statement": " ".join(s.statement.split()),
                "stated_by": s.stated_by,
                "stated_on": day(s.stated_on),
                "source": " ".join(s.source.split()),
                "stated": f"{low:g}–{high:g}× ({100 * e.confidence:.0f}% sure)",
                "posterior": f"{multiplier(post.p50)} ({multiplier(post.lo)}–"
                f"{multiplier(post.hi)})",
                "left_out": influence_text(inf, doc),
                "method": inf.method,
                "pareto": k_note,
                "unreliable": not inf.reliable,
                "verdict": verdict(e),
                "draws": np.exp(effect_values(data, draws, s.effect)),
            }
        )
    return out


def defaults(doc: ForecastDocument | dict, stated: set[str]) -> list[list[str]]:
    """One row per effect nobody stated: its default prior and its posterior multiplier."""
    rows = []
    for e in as_document(doc).effects:
        if e.name in stated:
            continue
        post = e.posterior_multiplier
        low, high = e.stated_range
        rows.append(
            [
                e.label,
                f"{low:g}–{high:g} ({100 * e.confidence:.0f}%)",
                f"{post.p50:.2g} ({post.lo:.2g}–{post.hi:.2g})",
            ]
        )
    return rows


def _leader_name(dyad, leader_id: str) -> str:
    leader = dyad.leader(leader_id)
    return leader.name if leader else leader_id.replace("_", " ").title()


def dataset(doc: ForecastDocument | dict, data: ModelData) -> dict:
    """The Data section: the coverage, the summits and exchanges of the record, assumptions."""
    doc = as_document(doc)
    rec = data.record
    dyad = data.dyad
    venue_ids = {s.id for s in data.venue_summits}
    summits = []
    for s in rec.summits:
        used = []
        if dyad.is_event(s):
            used.append("timing")
        if s.id in venue_ids:
            used.append("venue")
        leaders = " – ".join(_leader_name(dyad, x) for x in (s.leader_a, s.leader_b))
        summits.append(
            [
                day(s.date),
                leaders,
                s.site,
                dyad.venue_label(s.venue_class),
                ", ".join(used) or "—",
                s.source,
            ]
        )
    exchanges = [
        [
            day(x.start) if x.start == x.end else f"{day(x.start)} – {day(x.end)}",
            f"{x.person} ({x.role})",
            "to " + dyad.side(x.direction.removeprefix("to_")).name,
            x.rank,
            x.source,
        ]
        for x in sorted(rec.exchanges, key=lambda x: x.start, reverse=True)
    ]
    d = doc.data
    fresh = [w for w in doc.warnings if "coverage end" in w]
    return {
        "coverage": f"The dataset covers {day(d.coverage_start)} to {day(d.coverage_end)}; "
        f"the run used the record as known on {day(doc.as_of)}: "
        f"{_count(d.summits_in_fit, doc.pair + ' summit')} in the timing fit, "
        f"{_count(d.venue_summits, 'leader summit')} in the venue model and "
        f"{_count(d.exchanges_known, 'high-level exchange')}.",
        "freshness": fresh[0] if fresh else None,
        "summits": summits,
        "exchanges": exchanges,
        "assumptions": list(doc.assumptions),
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def diagnostics(doc: ForecastDocument | dict) -> dict:
    """The Diagnostics section: each convergence check against its threshold, the settings."""
    doc = as_document(doc)
    d, s = doc.diagnostics, doc.sampler

    def fmt(x: float | None, spec: str) -> str:
        return "n/a" if x is None else format(x, spec)

    rhat_ok = d.rhat_max is not None and d.rhat_max <= 1.01
    rows = [
        ["R-hat, largest", fmt(d.rhat_max, ".3f"), "≤ 1.01", rhat_ok],
        ["Bulk ESS, smallest", fmt(d.ess_bulk_min, ".0f"), "≥ 400", d.ess_bulk_min >= 400],
        ["Tail ESS, smallest", fmt(d.ess_tail_min, ".0f"), "≥ 400", d.ess_tail_min >= 400],
        ["Divergent transitions", str(d.divergences), "0", d.divergences == 0],
    ]
    settings = [
        ["Sampler", BACKEND_LABELS[s.backend or "pymc"]],
        ["Chains × draws", f"{d.chains} × {d.draws} (after {s.tune} tuning steps)"],
        ["Target acceptance", f"{s.target_accept:g}"],
        ["Seed", str(s.seed)],
        ["Sampling time", f"{d.sampling_seconds:.1f} s (including compilation)"],
    ]
    return {
        "rows": [[a, b, c, "ok" if ok else "PROBLEM"] for a, b, c, ok in rows],
        "settings": settings,
        "problems": list(d.problems),
    }


_TERM_WORDS = {
    "exchanges": "recent high-level exchanges",
    "since_last_summit": "time since the last summit",
    "war": "the war",
    "ceasefire": "a ceasefire",
    "border_closure": "the border closure",
}
_VENUE_TERM_WORDS = {
    "host_turn": "whose turn it is to host",
    "wartime_travel": "wartime travel",
    "occasion_venue": "occasions hosted at a venue",
}


def method(doc: ForecastDocument | dict, data: ModelData) -> dict:
    """The dyad-specific words of the Method section."""
    doc = as_document(doc)
    dyad = data.dyad
    factors = [_TERM_WORDS[k] for k in dyad.timing_terms if k in _TERM_WORDS]
    vterms = [_VENUE_TERM_WORDS.get(k, k.replace("_", " ")) for k in dyad.venue_terms]
    return {
        "pair": doc.pair,
        "factors": ", ".join(factors) or "none",
        "since": str(data.record.meta.coverage_start.year),
        "sampler": f"PyMC model, {BACKEND_LABELS[doc.sampler.backend or 'pymc']}",
        "venue_count": str(len(dyad.venue_ids)),
        "venues": ", ".join(dyad.venue_labels.values()),
        "venue_terms": (" that depends on " + ", ".join(vterms)) if vterms else "",
    }
