"""The report's figures kept under the user cache: an unchanged run draws them once.

The figures of a report (:func:`forecast.report.figures.figures`) are a function of the forecast
document, the stated indicators' posterior draws, the occasions marked on the curve, the
drivers' wording and the plotting code. :func:`figures_key` hashes all of them (with the
package's version and source and matplotlib's version), and :class:`FigureCache` keeps the SVG
texts of one report per key under :func:`forecast.model.cache.cache_dir`, verified by their
sha256 on read (:func:`forecast.model.cache.read_verified`). A re-run of an unchanged scenario,
or a re-rendered report, then reads its figures instead of importing matplotlib and drawing
them; the PDF is the same to the byte. ``run --no-cache`` reads and stores nothing.
"""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

import numpy as np

from forecast.io.document import ForecastDocument
from forecast.model.cache import cache_dir, content_key, read_verified, write_verified

#: Bumped when the layout of a cache entry changes.
FIGURE_FORMAT = 1


def figures_key(
    document: ForecastDocument, content: dict, occasions: list[tuple[str, str, str]]
) -> str:
    """A sha256 over everything the report's figures are drawn from.

    Parameters
    ----------
    document, content, occasions
        The arguments of :func:`forecast.report.figures.figures`.
    """
    head = {
        "format": FIGURE_FORMAT,
        "matplotlib": metadata.version("matplotlib"),
        "occasions": [list(o) for o in occasions],
        "drivers": (content.get("drivers") or {}).get("words"),
        "indicators": [ind["effect"] for ind in content["indicators"]],
    }
    blobs = [document.to_json().encode()]
    for ind in content["indicators"]:
        draws = np.ascontiguousarray(ind["draws"], dtype=float)
        blobs += [repr(draws.shape).encode(), draws.tobytes()]
    return content_key(head, *blobs)


class FigureCache:
    """The SVG texts of a report's figures, one entry per :func:`figures_key`.

    Parameters
    ----------
    root
        The directory of the entries (default ``<user cache dir>/figures``).
    """

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir() / "figures"

    def path(self, key: str) -> Path:
        """Where the entry of ``key`` is stored."""
        return self.root / f"{key}.json"

    def load(self, key: str) -> dict[str, str] | None:
        """The figures stored under ``key`` (``{file name: SVG text}``), or None if there is
        no intact entry (a damaged one is removed)."""
        blob = read_verified(self.path(key))
        if blob is None:
            return None
        try:
            entry = json.loads(blob.decode("utf-8"))
            svgs = entry["figures"]
            if entry.get("key") != key or not isinstance(svgs, dict):
                raise ValueError("key or layout mismatch")
            if not all(isinstance(k, str) and isinstance(v, str) for k, v in svgs.items()):
                raise ValueError("not SVG texts")
        except (UnicodeDecodeError, ValueError, KeyError, TypeError):
            self.path(key).unlink(missing_ok=True)
            return None
        return svgs

    def save(self, key: str, svgs: dict[str, str]) -> None:
        """Store ``svgs`` under ``key`` (atomically; an unwritable cache is no error)."""
        entry = {"key": key, "figures": svgs}
        write_verified(self.path(key), json.dumps(entry, ensure_ascii=False).encode("utf-8"))
