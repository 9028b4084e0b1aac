"""plots.drivers: the decomposition's bars, one per term that acts on the horizon."""

from __future__ import annotations

import numpy as np

from forecast.io.document import read_document
from forecast.plots.drivers import driver_rows, plot_drivers


def test_bars_are_the_acting_terms_largest_first(tiny_run_dir):
    doc = read_document(tiny_run_dir / "forecast.json")
    acting, inert = driver_rows(doc)
    assert {t.name for t in acting} | {t.name for t in inert} == {
        t.name for t in doc.decomposition.terms
    }
    assert "ceasefire" in {t.name for t in inert}  # the war continues throughout
    sizes = [abs(np.log(t.multiplier.p50)) for t in acting]
    assert sizes == sorted(sizes, reverse=True)
    fig = plot_drivers(doc)
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == [t.name.replace("_", " ") for t in reversed(acting)]
    assert ax.get_xscale() == "log"
    fig.canvas.draw()
    shown = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "1×" in shown and len(shown) >= 3
