"""From a finished run to the report's content: plain, JSON-ready data, no layout.

:func:`build` turns the forecast document, the run's
:class:`~forecast.design.prepare.ModelData` and its posterior draws into the dictionary the
Typst template (``template.typ``) lays out. Every number is formatted here, once, so the PDF
prints exactly what this module returns (and the tests can compare it with ``forecast.json``).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from statistics import NormalDist

import numpy as np

from forecast.analysis.influence import Influence, effect_values, influences
from forecast.design.prepare import ModelData
from forecast.model.backends import BACKEND_LABELS
from forecast.predict import Draws
from forecast.report.estimative import TITLES, bands, phrase, printed_percent
from forecast.terms.calendar import scheduled_instances

Z80 = NormalDist().inv_cdf(0.9)


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


def span(start: str, end: str) -> str:
    """A date range, e.g. "5 Jun – 3 Jul 2025" (the year once when both ends share it)."""
    a, b = date.fromisoformat(start), date.fromisoformat(end)
    first = f"{a.day} {a:%b}" if a.year == b.year else day(a)
    return f"{first} – {day(b)}"


def multiplier(x: float) -> str:
    return f"{x:.2g}×" if x < 10 else f"{x:.0f}×"


def points(new: float, old: float) -> str:
    """A change in percentage points of printed values, e.g. "−6 pts"."""
    diff = printed_percent(new) - printed_percent(old)
    if diff == 0:
        return "no change"
    return f"{'+' if diff > 0 else '−'}{abs(diff)} pt{'s' if abs(diff) != 1 else ''}"


def _short(name: str) -> str:
    """ "DPRK Victory Day (1953 armistice)" -> "DPRK Victory Day"; "EEF, Vladivostok" -> "EEF"."""
    return name.split(",")[0].split(" (")[0]


def occasions(data: ModelData) -> list[tuple[str, str, str]]:
    """Anniversaries and scheduled occasions inside the horizon: ``(label, start, end)``."""
    first = date.fromisoformat(str(data.horizon_dates[0]))
    last = data.scenario.horizon_end
    out = []
    for rec in data.record.recurring:
        for d in rec.dates(first.year, last.year):
            if first <= d <= last:
                out.append((_short(rec.name), d.isoformat(), d.isoformat()))
    for fam in sorted({s.family for s in data.record.scheduled}):
        spans, notes = scheduled_instances(data.record, fam, first, last)
        name = _short(next(s.name for s in data.record.scheduled if s.family == fam))
        for lo, hi in spans:
            if hi >= first and lo <= last:
                assumed = any(str(lo.year) in n for n in notes) and lo > data.scenario.as_of
                label = f"{name} {lo.year}" + (" (assumed)" if assumed else "")
                out.append((label, lo.isoformat(), hi.isoformat()))
    return sorted(out, key=lambda o: o[1])


def _bluf(doc: dict, scale: str) -> dict:
    h = doc["headline"]
    end, win = h["by_horizon_end"], h["first_window"]
    top = max(doc["venues"], key=lambda v: v["p"])
    median = doc["median_date"]
    q = doc.get("date_quantiles") or {}
    if median:
        when = f"{day(median)} (a 10% chance of a summit by {day(q.get('q10'))})"
    else:
        when = (
            f"after {day(doc['horizon_end'])} (the probability of a summit by then stays below 50%)"
        )
    cease = doc["ceasefire"]
    if cease is None:
        war = "none stated (the dyad has no war or ceasefire term)"
    elif cease["assumption"] == "ceasefire":
        war = f"ceasefire from {day(cease['start'])}"
    else:
        war = "the war continues"
    return {
        "question": doc["question"],
        "meta": [
            ["Scenario", doc["scenario"]],
            ["As of", day(doc["as_of"])],
            ["Horizon", f"to {day(doc['horizon_end'])}"],
            ["Assumption", war],
        ],
        "judgments": [
            {
                "label": f"Next summit by {day(doc['horizon_end'])}",
                "p": pct(end["p"]),
                "interval": interval(end["lo"], end["hi"]),
                "phrase": phrase(end["p"], scale).text,
            },
            {
                "label": f"In the first window: {win['name']}",
                "p": pct(win["p"]),
                "interval": interval(win["lo"], win["hi"]),
                "phrase": phrase(win["p"], scale).text,
            },
            {
                "label": "Likeliest venue, if they meet within the horizon",
                "p": pct(top["p"]),
                "interval": interval(top["lo"], top["hi"]),
                "phrase": doc["dyad"]["venue_labels"][top["venue"]],
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


def _alerts(doc: dict) -> list[str]:
    out = []
    problems = doc["diagnostics"].get("problems") or []
    if problems:
        out.append(
            "Sampling problems: "
            + "; ".join(problems)
            + ". The numbers in this report may be unreliable; re-run with more draws and "
            "tuning steps (see Diagnostics)."
        )
    out += [f"Warning: {w}" for w in doc.get("warnings") or []]
    return out


def _windows(doc: dict) -> dict:
    labels = doc["dyad"]["venue_labels"]
    header = ["Window", "Dates", "P(next summit inside)"] + list(labels.values())
    rows = []
    for w in doc["windows"]:
        by = {v["venue"]: v for v in w["venues"]}
        rows.append(
            [w["name"], span(w["start"], w["end"]), [pct(w["p"]), interval(w["lo"], w["hi"])]]
            + [[pct(by[v]["p"]), interval(by[v]["lo"], by[v]["hi"])] for v in labels]
        )
    venues = [
        [labels[v["venue"]], pct(v["p"]), interval(v["lo"], v["hi"])]
        for v in sorted(doc["venues"], key=lambda v: -v["p"])
    ]
    return {"header": header, "rows": rows, "venues": venues}


def verdict(effect: dict) -> str:
    """Did the data move the analysts' view? Compares the prior and posterior 80% intervals."""
    mu, sigma = effect["prior_log_mu"], effect["prior_log_sigma"]
    post = effect["posterior_multiplier"]
    width_prior = 2 * Z80 * sigma
    width_post = math.log(post["hi"]) - math.log(post["lo"])
    shift = (math.log(post["p50"]) - mu) / sigma
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


def _influence_text(inf: Influence, doc: dict) -> list[str]:
    out = []
    if inf.by_end:
        a, b = inf.by_end
        out.append(f"P(by {day(doc['horizon_end'])}) {pct(a)} → {pct(b)} ({points(b, a)})")
    if inf.first_window:
        a, b = inf.first_window
        name = doc["headline"]["first_window"]["name"].split(" (")[0]
        out.append(f"{name} window {pct(a)} → {pct(b)} ({points(b, a)})")
    if inf.venue:
        v, a, b = inf.venue
        label = doc["dyad"]["venue_labels"][v]
        out.append(f"{label} {pct(a)} → {pct(b)} ({points(b, a)}); timing unaffected")
    return out


def _indicators(doc: dict, data: ModelData, draws: Draws) -> list[dict]:
    effects = {e["name"]: e for e in doc["effects"]}
    out = []
    for inf in influences(data, draws):
        s = inf.stated
        e = effects[s.effect]
        post = e["posterior_multiplier"]
        low, high = e["stated_range"]
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
                "label": e["label"],
                "statement": " ".join(s.statement.split()),
                "stated_by": s.stated_by,
                "stated_on": day(s.stated_on),
                "source": " ".join(s.source.split()),
                "stated": f"{low:g}–{high:g}× ({100 * e['confidence']:.0f}% sure)",
                "posterior": f"{multiplier(post['p50'])} ({multiplier(post['lo'])}–"
                f"{multiplier(post['hi'])})",
                "left_out": _influence_text(inf, doc),
                "method": inf.method,
                "pareto": k_note,
                "unreliable": not inf.reliable,
                "verdict": verdict(e),
                "draws": np.exp(effect_values(data, draws, s.effect)),
            }
        )
    return out


def _defaults(doc: dict, stated: set[str]) -> list[list[str]]:
    rows = []
    for e in doc["effects"]:
        if e["name"] in stated:
            continue
        post = e["posterior_multiplier"]
        low, high = e["stated_range"]
        rows.append(
            [
                e["label"],
                f"{low:g}–{high:g} ({100 * e['confidence']:.0f}%)",
                f"{post['p50']:.2g} ({post['lo']:.2g}–{post['hi']:.2g})",
            ]
        )
    return rows


def _leader_name(dyad, leader_id: str) -> str:
    leader = dyad.leader(leader_id)
    return leader.name if leader else leader_id.replace("_", " ").title()


def _data(doc: dict, data: ModelData) -> dict:
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
    d = doc["data"]
    fresh = [w for w in doc.get("warnings") or [] if "coverage end" in w]
    return {
        "coverage": f"The dataset covers {day(d['coverage_start'])} to {day(d['coverage_end'])}; "
        f"the run used the record as known on {day(doc['as_of'])}: "
        f"{_count(d['summits_in_fit'], doc['dyad']['pair'] + ' summit')} in the timing fit, "
        f"{_count(d['venue_summits'], 'leader summit')} in the venue model and "
        f"{_count(d['exchanges_known'], 'high-level exchange')}.",
        "freshness": fresh[0] if fresh else None,
        "summits": summits,
        "exchanges": exchanges,
        "assumptions": list(doc.get("assumptions") or []),
    }


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _diagnostics(doc: dict) -> dict:
    d, s = doc["diagnostics"], doc["sampler"]

    def fmt(x: float | None, spec: str) -> str:
        return "n/a" if x is None else format(x, spec)

    rhat_ok = d["rhat_max"] is not None and d["rhat_max"] <= 1.01
    rows = [
        ["R-hat, largest", fmt(d["rhat_max"], ".3f"), "≤ 1.01", rhat_ok],
        ["Bulk ESS, smallest", fmt(d["ess_bulk_min"], ".0f"), "≥ 400", d["ess_bulk_min"] >= 400],
        ["Tail ESS, smallest", fmt(d["ess_tail_min"], ".0f"), "≥ 400", d["ess_tail_min"] >= 400],
        ["Divergent transitions", str(d["divergences"]), "0", d["divergences"] == 0],
    ]
    settings = [
        ["Sampler", BACKEND_LABELS[s.get("backend", "pymc")]],
        ["Chains × draws", f"{d['chains']} × {d['draws']} (after {s['tune']} tuning steps)"],
        ["Target acceptance", f"{s['target_accept']:g}"],
        ["Seed", str(s["seed"])],
        ["Sampling time", f"{d['sampling_seconds']:.1f} s (including compilation)"],
    ]
    return {
        "rows": [[a, b, c, "ok" if ok else "PROBLEM"] for a, b, c, ok in rows],
        "settings": settings,
        "problems": list(d.get("problems") or []),
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


def _method(doc: dict, data: ModelData) -> dict:
    """The dyad-specific words of the Method section."""
    dyad = data.dyad
    factors = [_TERM_WORDS[k] for k in dyad.timing_terms if k in _TERM_WORDS]
    vterms = [_VENUE_TERM_WORDS.get(k, k.replace("_", " ")) for k in dyad.venue_terms]
    sampler = doc.get("sampler") or {}
    return {
        "pair": doc["dyad"]["pair"],
        "factors": ", ".join(factors) or "none",
        "since": str(data.record.meta.coverage_start.year),
        "sampler": f"PyMC model, {BACKEND_LABELS[sampler.get('backend', 'pymc')]}",
        "venue_count": str(len(dyad.venue_ids)),
        "venues": ", ".join(dyad.venue_labels.values()),
        "venue_terms": (" that depends on " + ", ".join(vterms)) if vterms else "",
    }


def build(
    document: dict,
    data: ModelData,
    draws: Draws,
    *,
    scale: str = "icd203",
    track: dict | None = None,
    generated: datetime | None = None,
) -> dict:
    """The report's content as plain data (figures are drawn separately from the same inputs).

    Parameters
    ----------
    document
        The run's forecast document (``forecast.json``).
    data
        The run's model inputs (``SavedRun.model_data()``).
    draws
        The run's posterior draws.
    scale
        Estimative-language yardstick: ``"icd203"`` (default) or ``"phia"``.
    track
        The "Track record" content from :func:`forecast.report.track.track_record`, or ``None``.
    generated
        Generation time for the footer (default: now, UTC).

    Returns
    -------
    dict
        JSON-ready content; the ``"indicators"`` entries also carry posterior ``draws`` (a NumPy
        array, for the figures) that :func:`forecast.report.render.render` strips.
    """
    bands(scale)  # raises for an unknown scale
    when = generated or datetime.now(UTC)
    stamp = document["stamp"]
    indicators = _indicators(document, data, draws)
    return {
        "title": f"When and where will {data.dyad.pair} next meet?",
        "method": _method(document, data),
        "bluf": _bluf(document, scale),
        "alerts": _alerts(document),
        "assumptions": list(document.get("assumptions") or []),
        "windows": _windows(document),
        "first_month_partial": day(date.fromisoformat(document["as_of"])),
        "indicators": indicators,
        "defaults": _defaults(document, {i["effect"] for i in indicators}),
        "data": _data(document, data),
        "diagnostics": _diagnostics(document),
        "track": track,
        "footer": {
            "version": stamp["version"],
            "scenario_sha256": stamp["scenario_sha256"],
            "data_sha256": stamp["data_sha256"],
            "generated": when.strftime("%Y-%m-%d %H:%M UTC"),
        },
    }
