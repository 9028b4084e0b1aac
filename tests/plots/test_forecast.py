"""plots.forecast: the report's figures, drawn from the typed forecast document."""

from __future__ import annotations

import json

import numpy as np
import pytest

from forecast.io.document import read_document
from forecast.plots import forecast as plots
from forecast.plots.style import percent_label


@pytest.mark.parametrize(
    ("value", "label"),
    [(0.0, "0%"), (0.025, "2.5%"), (0.075, "7.5%"), (0.1, "10%"), (0.0125, "1.25%"), (1, "100%")],
)
def test_percent_labels_keep_every_decimal_the_tick_has(value, label):
    assert percent_label(value) == label


def _check_percent_ticks(axis) -> None:
    """Each tick label states its own gridline's value (none rounded to another one)."""
    values = axis.get_majorticklocs()
    fmt = axis.get_major_formatter()
    for v in values:
        text = fmt(v, 0)
        assert text.endswith("%")
        assert float(text[:-1]) / 100 == pytest.approx(v, abs=1e-12), (v, text)


def test_month_chart_ticks_say_their_own_values(tiny_run_dir):
    """A chart whose ticks fall every 2.5 points (0%, 2.5%, 5%, ...) is labelled that way."""
    doc = json.loads((tiny_run_dir / "forecast.json").read_text(encoding="utf-8"))
    fig = plots.plot_months(doc)
    ax = fig.axes[0]
    ax.set_ylim(0, 0.125)
    ax.yaxis.set_major_locator(plots.mpl.ticker.MultipleLocator(0.025))
    fig.canvas.draw()
    _check_percent_ticks(ax.yaxis)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "2.5%" in labels and "7.5%" in labels


def test_every_forecast_figure_reads_the_typed_document(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    for fig, axis in (
        (plots.plot_cumulative(doc), "y"),
        (plots.plot_months(doc), "y"),
        (plots.plot_venues(doc), "x"),
    ):
        fig.canvas.draw()
        ax = fig.axes[0]
        _check_percent_ticks(ax.yaxis if axis == "y" else ax.xaxis)
    venues = plots.plot_venues(doc).axes[0]
    assert {t.get_text() for t in venues.get_yticklabels()} == set(doc.venue_labels.values())
    cumulative = plots.plot_cumulative(doc).axes[0]
    line = next(ln for ln in cumulative.get_lines() if ln.get_label() == "P(next summit by date)")
    np.testing.assert_allclose(line.get_ydata()[1:], [p.p for p in doc.by_date])
    first, last = plots.horizon_days(doc)
    assert (first, last) == (doc.by_date[0].date, doc.horizon_end)


def test_prior_posterior_of_an_unknown_effect_names_the_known_ones(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    name = doc.effect_names[1]
    assert plots.effect(doc, name).name == name
    fig = plots.plot_prior_posterior(doc, name)
    assert fig.axes[0].get_xscale() == "log"
    with pytest.raises(KeyError, match="no effect 'nope'.*baseline"):
        plots.plot_prior_posterior(doc, "nope")
