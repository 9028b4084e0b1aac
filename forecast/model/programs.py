"""The sampler's programs stored on disk, so a fresh process neither traces nor imports numpyro.

Tracing numpyro's NUTS kernel into a program is pure Python and takes about 0.6 s a process
(plus 0.4 s to import numpyro), every time: JAX's persistent compilation cache keys its
entries by the traced program, so it saves the compiling, not the tracing. An exported
program (:mod:`jax.export`: the traced program as serialized StableHLO) is the tracing's
result; :func:`exported` stores one per key under :func:`forecast.model.cache.cache_dir`, and
a later process deserializes it and compiles it, which the persistent cache then answers.

A program is always run from its serialized bytes, whether it was just exported or read from
disk, so the numbers for a seed do not depend on which happened. Each file holds the sha256
of its bytes ahead of them and is checked on read; a file that fails the check, or does not
deserialize, is removed and the program is exported again. Files are written to a temporary
name and renamed, so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from forecast.model.cache import cache_dir, content_key, read_verified, write_verified

if TYPE_CHECKING:
    from jax.export import Exported

#: Bumped when the layout of a stored program changes.
PROGRAM_FORMAT = 1


def program_key(spec: dict) -> str:
    """The key of a program: a sha256 over ``spec`` (what the program was traced for: shapes,
    sampler settings, device count), the package's version and source, and the versions of
    the libraries that traced it.

    Parameters
    ----------
    spec
        JSON-serialisable description of the program's inputs and settings.
    """
    libraries = {name: metadata.version(name) for name in ("jax", "jaxlib", "numpyro")}
    return content_key({"format": PROGRAM_FORMAT, "spec": spec, "libraries": libraries})


def program_path(key: str) -> Path:
    """Where the program of ``key`` is stored."""
    return cache_dir() / "programs" / f"{key}.jaxexport"


def exported(key: str, export: Callable[[], Exported]) -> tuple[Exported, bool]:
    """The program of ``key``: read from the cache, or made with ``export()`` and stored.

    Parameters
    ----------
    key
        :func:`program_key` of the program.
    export
        Traces and exports the program (called only when no valid stored copy exists).

    Returns
    -------
    The deserialized program and whether it was exported in this call.
    """
    from jax import export as jax_export

    path = program_path(key)
    blob = read_verified(path)
    if blob is not None:
        try:
            return jax_export.deserialize(bytearray(blob)), False
        except Exception:  # a stored program this JAX cannot read: export it again
            with contextlib.suppress(OSError):
                path.unlink()
    blob = bytes(export().serialize())
    write_verified(path, blob)
    return jax_export.deserialize(bytearray(blob)), True
