"""The YAML layer under the scenario schema: bad YAML of every kind is one InputError naming
the line; no tag constructs an object, no alias expands without limit, dates stay text."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from forecast.config.scenario import load_scenario
from forecast.config.yaml_loader import load_yaml
from forecast.errors import InputError

JUNE = Path(__file__).resolve().parents[2] / "scenarios" / "june-anniversary.yaml"


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


JUNE_TEXT = JUNE.read_text(encoding="utf-8")


def june_line(text: str) -> int:
    """The line number of ``text`` (a whole line) in june-anniversary.yaml."""
    return JUNE_TEXT.splitlines().index(text) + 1


YAML_CASES = [
    ("duplicate-key",
     JUNE_TEXT.replace("as_of: 2025-05-12\n", "as_of: 2025-05-12\nas_of: 2025-05-13\n"),
     f"line {june_line('as_of: 2025-05-12') + 1}", "duplicate key 'as_of'"),
    ("duplicate-nested-key", JUNE_TEXT.replace("  draws: 500\n", "  draws: 500\n  draws: 2000\n"),
     f"line {june_line('  draws: 500') + 1}", "duplicate key 'draws'"),
    ("unclosed-list", "a: [1, 2\n", "line 2", "invalid YAML"),
    ("tab-indent", "a:\n\tb: 1\n", "line 2", "invalid YAML"),
    ("two-documents", "a: 1\n---\nb: 2\n", "line 2", "invalid YAML"),
    ("undefined-alias", "a: *x\n", "line 1", "undefined alias"),
    ("list-as-key", "? [a, b]\n: 1\n", "line 1", "list or mapping used as a key"),
    ("mapping-as-key", "{{a: 1}: 2}\n", "line 1", "list or mapping used as a key"),
    ("huge-integer", "draws: " + "9" * 5000 + "\n", "line 1", "cannot read '9999"),
    ("explicit-bad-timestamp", "as_of: !!timestamp 2025-02-30\n", "line 1",
     "cannot read '2025-02-30' as timestamp"),
    ("explicit-bad-int", "draws: !!int many\n", "line 1", "cannot read 'many' as int"),
    ("unknown-tag", "a: !secret 1\n", "line 1", "could not determine a constructor"),
    ("python-name", "a: !!python/name:os.system\n", "line 1", "could not determine a constructor"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "field", "phrase"), [pytest.param(t, f, p, id=i) for i, t, f, p in YAML_CASES]
)
def test_bad_yaml(tmp_path, text, field, phrase):
    path = write(tmp_path, text)
    with pytest.raises(InputError) as info:
        load_scenario(path)
    err = info.value
    assert err.file == str(path)
    assert err.field == field
    assert phrase in err.message
    assert "\n" not in str(err)
    assert len(str(err)) < 300


def test_duplicate_key_line_points_at_the_second_key(tmp_path):
    path = write(tmp_path, "a: 1\nb: 2\na: 3\n")
    with pytest.raises(InputError, match=r"line 3: invalid YAML: duplicate key 'a'"):
        load_yaml(path)


def test_python_object_is_never_constructed(tmp_path):
    marker = tmp_path / "pwned"
    text = JUNE_TEXT.replace(
        "name: june-anniversary\n", f'name: !!python/object/apply:os.system ["touch {marker}"]\n'
    )
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, text))
    assert info.value.field == f"line {june_line('name: june-anniversary')}"
    assert "python/object/apply:os.system" in info.value.message
    assert not marker.exists()


def test_deep_nesting_is_an_input_error(tmp_path):
    path = write(tmp_path, "a: " + "[" * 1000 + "]" * 1000 + "\n")
    with pytest.raises(InputError, match="nested too deeply"):
        load_scenario(path)


def test_alias_bomb_is_rejected_quickly(tmp_path, root):
    # Nine levels of nine aliases: ~387 million leaves if anything expanded it.
    lines = ["x: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"x{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 10)]
    text = JUNE_TEXT.replace("ceasefire:\n", "\n".join(lines) + "\nceasefire: *a9\nold:\n")
    path = write(tmp_path, text)
    code = (
        "import sys\n"
        "from forecast.errors import InputError\n"
        "from forecast.config.scenario import load_scenario\n"
        "try:\n    load_scenario(sys.argv[1])\nexcept InputError as err:\n    print(err)\n"
    )
    # In a child process, so that a regression fails the test instead of hanging the run.
    proc = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(f"{path}: ceasefire: input should be a valid dictionary")
    assert len(proc.stdout) < 1600  # up to ten problems, each shortened


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "got an empty file"),
        ("# only a comment\n", "got an empty file"),
        ("- schema_version: 1\n", "got a list"),
        ("just text\n", "got a str"),
    ],
    ids=["empty", "comment-only", "list", "scalar"],
)
def test_file_that_is_not_a_mapping(tmp_path, text, phrase):
    with pytest.raises(InputError) as info:
        load_scenario(write(tmp_path, text))
    assert info.value.field is None
    assert phrase in info.value.message


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: scenario file not found"


def test_directory_instead_of_file(tmp_path):
    with pytest.raises(InputError, match="expected a regular scenario file, got a directory"):
        load_scenario(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"line 1: not valid UTF-8 \(byte 0xe9 at offset 9\)"):
        load_scenario(path)


def test_dates_stay_text_until_the_schema(june_raw):
    # The loader leaves dates as text so that an impossible date reaches pydantic's message.
    assert june_raw["as_of"] == "2025-05-12"
