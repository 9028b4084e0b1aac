"""The user cache directory and the posterior cache: an unchanged run reuses its posterior.

A fit is fully determined by the scenario file, the dataset, the sampler settings and the
code. :func:`posterior_key` hashes their contents (the scenario's and dataset's sha256, the
settings as JSON, the package version and a hash of the package's own source files, so an
edited model never reuses an old posterior); :class:`PosteriorCache` keeps one posterior per
key under :func:`cache_dir`. An entry is a netCDF file and a JSON record of its sha256, its key
and the fit's diagnostics; on read both are checked, and an entry that fails any check is
removed and treated as missing, so it is recomputed. Nothing here imports PyMC: a re-run that
hits the cache never does.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import xarray as xr

from forecast import __version__

#: Bumped when the layout of a cache entry changes.
CACHE_FORMAT = 1
_GROUPS = ("posterior", "sample_stats")
_PACKAGE = Path(__file__).resolve().parents[1]


def cache_dir() -> Path:
    """The user cache directory of the package (``platformdirs``; ``XDG_CACHE_HOME`` moves it
    on Linux). Compiled samplers and cached posteriors live under it."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("summit-forecast", appauthor=False))


_DIGEST = hashlib.sha256().digest_size


def read_verified(path: Path) -> bytes | None:
    """The bytes stored at ``path`` by :func:`write_verified`, if they match the sha256 stored
    ahead of them; None otherwise (a file that fails the check is removed)."""
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    blob = raw[_DIGEST:]
    if len(raw) > _DIGEST and hashlib.sha256(blob).digest() == raw[:_DIGEST]:
        return blob
    with contextlib.suppress(OSError):
        path.unlink()
    return None


def write_verified(path: Path, blob: bytes) -> None:
    """Store ``blob`` at ``path`` behind its sha256, written to a temporary name and renamed
    (a reader never sees half a file). A cache that cannot be written (read-only, full) is no
    error: the next process computes the entry again."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(hashlib.sha256(blob).digest() + blob)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)


@cache
def code_sha256() -> str:
    """sha256 of the package's Python sources (paths and contents), computed once a process."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        digest.update(path.relative_to(_PACKAGE).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def content_key(parts: dict, *blobs: bytes) -> str:
    """The key of a cache entry: a sha256 over ``parts`` (as JSON with sorted keys) with the
    package's version and a hash of its own source added, then over ``blobs`` in order. Every
    cache of the package (posteriors, sampler programs, report figures) keys its entries so,
    and an edited package never reuses an entry made by another.

    Parameters
    ----------
    parts
        JSON-serialisable description of what the entry is computed from.
    blobs
        Raw inputs hashed as they are (e.g. arrays' bytes), after ``parts``.
    """
    head = {**parts, "version": __version__, "code": code_sha256()}
    digest = hashlib.sha256(json.dumps(head, sort_keys=True).encode())
    for blob in blobs:
        digest.update(blob)
    return digest.hexdigest()


def posterior_key(scenario_sha256: str, dataset_sha256: str, settings: dict) -> str:
    """The cache key of a fit: a sha256 over everything that determines its posterior.

    Parameters
    ----------
    scenario_sha256, dataset_sha256
        Content hashes of the scenario file and of the dataset.
    settings
        The sampler settings used (draws, tune, chains, seed, target_accept, backend).
    """
    parts = {
        "format": CACHE_FORMAT,
        "scenario": scenario_sha256,
        "dataset": dataset_sha256,
        "settings": settings,
    }
    return content_key(parts)


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class CachedFit:
    """A posterior read back from the cache, shaped like :class:`forecast.model.sample.Fit`."""

    idata: xr.DataTree
    diagnostics: dict


class PosteriorCache:
    """Posteriors by :func:`posterior_key`, under ``root`` (default ``cache_dir()/posteriors``)."""

    def __init__(self, root: str | Path | None = None) -> None:
        self.root = Path(root) if root is not None else cache_dir() / "posteriors"

    def _paths(self, key: str) -> tuple[Path, Path]:
        return self.root / f"{key}.nc", self.root / f"{key}.json"

    def load(self, key: str) -> CachedFit | None:
        """The entry for ``key`` if it is there and intact; None otherwise (a damaged entry is
        removed)."""
        nc, meta_path = self._paths(key)
        if not nc.exists() and not meta_path.exists():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            if meta.get("key") != key or meta.get("format") != CACHE_FORMAT:
                raise ValueError("key or format mismatch")
            if _file_sha256(nc) != meta.get("sha256"):
                raise ValueError("content hash mismatch")
            tree = xr.open_datatree(nc, engine="h5netcdf").load()
            tree.close()
            if any(group not in tree.children for group in _GROUPS):
                raise ValueError("missing groups")
            diagnostics = meta["diagnostics"]
            if not isinstance(diagnostics, dict):
                raise ValueError("diagnostics")
        except (OSError, ValueError, KeyError, TypeError):
            self.remove(key)
            return None
        return CachedFit(idata=tree, diagnostics=diagnostics)

    def save(self, key: str, idata: xr.DataTree, diagnostics: dict) -> Path:
        """Store a fit under ``key`` (written to temporary files, then moved into place)."""
        self.root.mkdir(parents=True, exist_ok=True)
        nc, meta_path = self._paths(key)
        tag = f".{os.getpid()}.tmp"
        tmp_nc, tmp_meta = nc.with_name(nc.name + tag), meta_path.with_name(meta_path.name + tag)
        try:
            idata.to_netcdf(tmp_nc, engine="h5netcdf")
            meta = {
                "format": CACHE_FORMAT,
                "key": key,
                "sha256": _file_sha256(tmp_nc),
                "diagnostics": diagnostics,
            }
            tmp_meta.write_text(json.dumps(meta), encoding="utf-8")
            tmp_nc.replace(nc)
            tmp_meta.replace(meta_path)
        finally:
            tmp_nc.unlink(missing_ok=True)
            tmp_meta.unlink(missing_ok=True)
        return nc

    def remove(self, key: str) -> None:
        """Delete the entry for ``key``, if any."""
        for path in self._paths(key):
            path.unlink(missing_ok=True)


def cached_fit(
    data,
    *,
    key: str | None,
    draws: int,
    tune: int,
    chains: int,
    seed: int,
    target_accept: float,
    cores: int | None,
    backend: str,
    cache: PosteriorCache | None = None,
    progress: bool = False,
):
    """The fit of ``data``: read from the posterior cache under ``key``, else sampled and
    stored there. ``key`` None bypasses the cache (nothing is read or written).

    Returns
    -------
    Fit or CachedFit
        Either has ``idata`` and ``diagnostics``.
    """
    store = cache if cache is not None else PosteriorCache()
    if key is not None:
        hit = store.load(key)
        if hit is not None:
            return hit
    from forecast.model.sample import sample

    fit = sample(
        data,
        draws=draws,
        tune=tune,
        chains=chains,
        seed=seed,
        target_accept=target_accept,
        cores=cores,
        backend=backend,
        progress=progress,
    )
    if key is not None:  # a read-only or full cache directory costs the next run a fit, no more
        with contextlib.suppress(OSError):
            store.save(key, fit.idata, fit.diagnostics)
    return fit
