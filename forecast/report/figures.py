"""The report's figures as SVG text, drawn with :mod:`forecast.plots.forecast` (text stays text)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from forecast.io.document import ForecastDocument
from forecast.plots import forecast as plots


def svg(fig: Figure) -> str:
    """Serialise ``fig`` to SVG without a timestamp (so the same run gives the same file)."""
    buffer = io.StringIO()
    with plots.mpl.rc_context(plots.STYLE):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def figures(
    document: ForecastDocument, content: dict, occasions: list[tuple[str, str, str]]
) -> dict:
    """All figures of one report: ``{file name: SVG text}``.

    Parameters
    ----------
    document
        The forecast document.
    content
        The report content from :func:`forecast.report.content.build` (its indicators carry
        the posterior draws of each stated effect).
    occasions
        ``(label, start, end)`` of the occasions to mark on the cumulative curve.
    """
    out = {
        "cumulative.svg": svg(plots.plot_cumulative(document, occasions=occasions)),
        "months.svg": svg(plots.plot_months(document)),
        "venues.svg": svg(plots.plot_venues(document)),
    }
    if content.get("drivers"):
        from forecast.plots.drivers import plot_drivers

        fig = plot_drivers(document, words=content["drivers"]["words"])
        out["drivers.svg"] = svg(fig)
    for i, ind in enumerate(content["indicators"]):
        fig = plots.plot_prior_posterior(document, ind["effect"], posterior=ind["draws"])
        out[f"indicator-{i}.svg"] = svg(fig)
    return out
