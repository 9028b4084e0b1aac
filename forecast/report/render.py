"""Lay the report out with Typst and write ``report.pdf``.

The layout is ``template.typ`` in this package (fonts, colours and sizes are set at its top);
the content comes from :func:`forecast.report.content.build`, the figures from
:mod:`forecast.report.figures`. Fonts: Typst's embedded Libertinus Serif for the text and the
DejaVu Sans that ships with Matplotlib for headings, tables and figures, so a fresh machine
renders the same PDF without any system font. No PyMC import, no sampling.
"""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from forecast.errors import InputError
from forecast.io.document import ForecastDocument, as_document

if TYPE_CHECKING:
    import numpy as np

SCALE_CHOICES = ("icd203", "phia")


def check_report_options(
    run_dir: str | Path, scale: str, backtest: str | Path | None, dataset: str | None = None
) -> Path | None:
    """Check the report's options before any work: the scale, and the backtest file (given,
    or found beside ``run_dir``), which is read once so an unusable one fails now.

    Returns
    -------
    pathlib.Path or None
        The backtest file the report will use, if any.

    Raises
    ------
    InputError
        For an unknown scale, a missing ``--backtest`` file or an unusable backtest file.
    """
    from forecast.report.track import load, locate

    if scale not in SCALE_CHOICES:
        raise InputError("--scale", None, f"expected one of {', '.join(SCALE_CHOICES)}")
    from forecast.domain.record import DEFAULT_DATASET

    found = locate(run_dir, backtest, dataset or DEFAULT_DATASET)
    if found is not None:
        load(found)
    return found


def _font_dirs() -> list[str]:
    """matplotlib's bundled fonts (DejaVu), found without importing matplotlib."""
    from importlib.util import find_spec

    spec = find_spec("matplotlib")
    locations = spec.submodule_search_locations if spec is not None else None
    if not locations:
        raise ImportError("matplotlib is not installed")
    return [str(Path(locations[0]) / "mpl-data" / "fonts" / "ttf")]


def _template(name: str = "template.typ") -> str:
    return (resources.files("forecast.report") / name).read_text(encoding="utf-8")


def compile_pdf(content: dict, svgs: dict[str, str], template: str = "template.typ") -> bytes:
    """Compile a template of this package (the report's by default) with ``content`` and the
    figures; return the PDF bytes."""
    import typst

    with tempfile.TemporaryDirectory(prefix="summit-report-") as tmp:
        root = Path(tmp)
        (root / "main.typ").write_text(_template(template), encoding="utf-8")
        (root / "content.json").write_text(json.dumps(content, ensure_ascii=False), "utf-8")
        figs = root / "figures"
        figs.mkdir()
        for name, text in svgs.items():
            (figs / name).write_text(text, encoding="utf-8")
        return typst.compile(
            root / "main.typ",
            root=root,
            font_paths=_font_dirs(),
            ignore_system_fonts=True,
            format="pdf",
        )


def render_pdf(
    document: ForecastDocument | dict,
    data,
    draws,
    *,
    scale: str = "icd203",
    backtest: str | Path | None = None,
    generated: datetime | None = None,
    compare: str | Path | None = None,
    run_dir: str | Path | None = None,
    horizon: tuple[np.ndarray, np.ndarray] | None = None,
    cache: bool = True,
) -> bytes:
    """The PDF report of one run, as bytes (:func:`render` writes them to a file).

    Parameters are those of :func:`render`; a run writes these bytes into its staging
    directory with the run's other files. ``run_dir`` is where the run directory is (or will
    be): a sensitivity result for the same scenario beside it adds the tornado. ``horizon``
    (:attr:`forecast.io.outputs.RunFiles.horizon`) spares the influence estimates computing
    the run's survival and venue sums again. With ``cache`` the figures are read from, or
    stored in, the figure cache (:mod:`forecast.report.figure_cache`); the bytes are the same
    either way.
    """
    from forecast.report.content import build, occasions
    from forecast.report.figure_cache import FigureCache, figures_key
    from forecast.report.track import track_record

    document = as_document(document)
    track = track_record(
        backtest, document.stamp.data_sha256, signals=bool(data.scenario.model.signals)
    )
    content = build(
        document, data, draws, scale=scale, track=track, generated=generated, horizon=horizon
    )
    if compare is not None:
        content["compared"] = compared_with(document, data, draws, compare)
    marked = occasions(data)
    store, key, svgs = None, None, None
    if cache:
        store, key = FigureCache(), figures_key(document, content, marked)
        svgs = store.load(key)
    if svgs is None:
        from forecast.report.figures import figures

        svgs = figures(document, content, marked)
        if store is not None:
            store.save(key, svgs)
    found = None if run_dir is None else _sensitivity(run_dir, document)
    if found is not None:
        from forecast.plots.sensitivity import plot_tornado
        from forecast.report.figures import svg
        from forecast.report.sensitivity import section

        content["sensitivity"] = section(found, document)
        svgs["tornado.svg"] = svg(plot_tornado(found))
    if track.get("figure"):
        svgs["reliability.svg"] = Path(track["figure"]).read_text(encoding="utf-8")
        track["figure"] = "reliability.svg"
    for ind in content["indicators"]:
        del ind["draws"]
    return compile_pdf(content, svgs)


def render(
    document: ForecastDocument | dict,
    data,
    draws,
    out: str | Path,
    *,
    scale: str = "icd203",
    backtest: str | Path | None = None,
    generated: datetime | None = None,
    compare: str | Path | None = None,
    run_dir: str | Path | None = None,
) -> Path:
    """Write the PDF report of one run to ``out``.

    Parameters
    ----------
    document
        The forecast document (typed; a ``forecast.json`` dict is checked first).
    data
        The run's :class:`~forecast.design.prepare.ModelData`.
    draws
        The run's posterior :class:`~forecast.predict.Draws`.
    out
        The PDF file to write (replaced atomically; a link there is replaced, not followed).
    scale
        ``"icd203"`` (default) or ``"phia"``.
    backtest
        A ``backtest.json`` for the "Track record" section, or ``None`` for the hint.
    generated
        Generation time printed in the footer (default: now).
    compare
        A saved run directory to compare this run with (the "Compared with" section).
    run_dir
        The run directory (default: ``out``'s folder), beside which a sensitivity result is
        looked for.

    Returns
    -------
    pathlib.Path
        ``out``.

    Raises
    ------
    forecast.io.safe_write.WriteFailed
        If the file cannot be written (nothing is left behind then).
    """
    from forecast.io.safe_write import replace_file

    pdf = render_pdf(
        document,
        data,
        draws,
        scale=scale,
        backtest=backtest,
        generated=generated,
        compare=compare,
        run_dir=Path(out).parent if run_dir is None else run_dir,
    )
    return replace_file(Path(out), pdf)


def _sensitivity(run_dir: str | Path, document: ForecastDocument) -> dict | None:
    """This scenario's sensitivity result beside the run directory."""
    from forecast.report.sensitivity import locate

    path = locate(run_dir, document)
    return None if path is None else json.loads(path.read_text(encoding="utf-8"))


def compared_with(document: ForecastDocument, data, draws, other: str | Path) -> dict:
    """The "Compared with" section: this run against the saved run ``other``."""
    from forecast.analysis.compare import Item, compare, draws_key, items_from_runs
    from forecast.report.comparison import compared_section

    this = Item(document.scenario, "this run", data, draws, draws_key(draws))
    return compared_section(compare([*items_from_runs([other]), this]))


def render_run(
    run_dir: str | Path,
    out: str | Path | None = None,
    *,
    scale: str = "icd203",
    backtest: str | Path | None = None,
    compare: str | Path | None = None,
) -> Path:
    """Re-render ``report.pdf`` from a saved run directory (no sampling); with ``compare`` (a
    saved run directory) it gains the "Compared with" section.

    Raises
    ------
    InputError
        For a missing or inconsistent run directory, an unknown scale, an unusable output path
        or an unusable backtest file; nothing is written then.
    """
    from forecast.io.rundir import load_run
    from forecast.predict import Draws

    saved = load_run(run_dir)
    target = Path(out) if out is not None else saved.path / "report.pdf"
    if target.is_dir() or target.suffix.lower() != ".pdf":
        raise InputError(target, "--out", "expected a .pdf file path")
    found = check_report_options(saved.path, scale, backtest, saved.scenario.dataset)
    draws = Draws.from_dataset(saved.idata["posterior"].to_dataset())
    if compare is not None:
        load_run(compare)  # a bad directory fails before any work
    return render(
        saved.document,
        saved.model_data(),
        draws,
        target,
        scale=scale,
        backtest=found,
        compare=compare,
        run_dir=saved.path,
    )
