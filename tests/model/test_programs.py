"""Stored sampler programs: keyed by everything that shapes them, verified on read, exported
again when missing or damaged, and run from their bytes either way. A one-line JAX function
stands in for the sampler, so nothing here samples."""

from __future__ import annotations

import numpy as np
import pytest

from forecast.model import cache as cache_mod
from forecast.model import programs
from forecast.model.programs import exported, program_key, program_path


def test_a_program_is_exported_once_then_read(program_store):
    key = program_key({"program": "test", "n": 3})
    first, new = exported(key, program_store)
    assert new and len(program_store.calls) == 1 and program_path(key).is_file()
    again, new = exported(key, program_store)
    assert not new and len(program_store.calls) == 1
    x = np.arange(3.0)
    np.testing.assert_array_equal(np.asarray(first.call(x)), 2.0 * x + 1.0)
    np.testing.assert_array_equal(np.asarray(again.call(x)), np.asarray(first.call(x)))


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "not-a-program"])
def test_a_damaged_program_is_exported_again(program_store, damage):
    import hashlib

    key = program_key({"program": "test", "damage": damage})
    exported(key, program_store)
    path = program_path(key)
    raw = bytearray(path.read_bytes())
    if damage == "flip":
        raw[-5] ^= 0x40
    elif damage == "truncate":
        raw = raw[: len(raw) // 2]
    elif damage == "empty":
        raw = bytearray()
    else:  # a valid digest over bytes that are not a program
        junk = b"not a program at all"
        raw = bytearray(hashlib.sha256(junk).digest() + junk)
    path.write_bytes(bytes(raw))
    program, new = exported(key, program_store)
    assert new and len(program_store.calls) == 2
    np.testing.assert_array_equal(np.asarray(program.call(np.ones(3))), np.full(3, 3.0))
    assert exported(key, program_store)[1] is False  # stored again, whole


def test_an_unwritable_cache_still_gives_the_program(program_store, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(cache_mod.tempfile, "mkstemp", refuse)
    key = program_key({"program": "test", "writable": False})
    program, new = exported(key, program_store)
    assert new and not program_path(key).exists()
    np.testing.assert_array_equal(np.asarray(program.call(np.zeros(3))), np.ones(3))


def test_the_key_changes_with_what_shapes_the_program(monkeypatch):
    spec = {"program": "nuts-chains", "draws": 500, "inputs": [[[10, 640], "float64"]]}
    base = program_key(spec)
    assert base == program_key(dict(spec))
    others = [
        program_key({**spec, "draws": 501}),
        program_key({**spec, "inputs": [[[10, 768], "float64"]]}),
    ]
    monkeypatch.setattr(cache_mod, "__version__", "9.9.9")
    others.append(program_key(spec))
    monkeypatch.setattr(cache_mod, "code_sha256", lambda: "0" * 64)
    others.append(program_key(spec))
    real = programs.metadata.version
    monkeypatch.setattr(
        programs.metadata, "version", lambda name: "0.0" if name == "jaxlib" else real(name)
    )
    others.append(program_key(spec))
    assert len({base, *others}) == len(others) + 1
