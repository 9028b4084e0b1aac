"""The PDF probability report of a run: content, figures and a Typst layout.

``forecast run`` writes ``report.pdf`` into the run directory; ``python -m forecast report
RUN_DIR`` re-renders it from the saved files (no PyMC import, no sampling). Entry points:
:func:`forecast.report.render.render_run` and :func:`forecast.report.render.render`.
"""
