"""The package's shape: the domain is the one home of the leader pair, and data flow one way
(nothing below the command line imports it or the run pipeline)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "forecast"
# Names of leaders and venue classes: they belong to a dataset's dyad, never to code.
DOMAIN_WORDS = re.compile(
    r"kim_jong_un|kim_jong_il|\bputin\b|\bPutin\b|medvedev|\btrump\b|xi_jinping|Kim Jong Un|"
    r"Kim–Putin|russian_capital|russian_far_east|russia_other|korean_dmz|china_capital|"
    r"united_states|North Korea|Moscow|Vladivostok|Pyongyang"
)
ALLOWED = ("kim-putin",)  # the default dataset's name (a dataset id, not a leader)


def _without_allowed(text: str) -> str:
    for word in ALLOWED:
        text = text.replace(word, "")
    return text


def _modules(*exclude: str):
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not any(rel.startswith(e) for e in exclude):
            yield rel, ast.parse(path.read_text(encoding="utf-8"))


def _docstrings(tree: ast.AST) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def test_no_leader_or_venue_is_named_outside_the_domain():
    found = []
    for rel, tree in _modules("domain/"):
        docs = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docs:
                    continue
                hit = DOMAIN_WORDS.search(_without_allowed(node.value))
                if hit:
                    found.append(f"{rel}:{node.lineno}: {hit.group(0)!r}")
    assert not found, "\n".join(found)


def test_the_report_template_names_no_leader_or_venue():
    text = (PACKAGE / "report" / "template.typ").read_text(encoding="utf-8")
    assert not DOMAIN_WORDS.search(text), DOMAIN_WORDS.search(text)


def test_nothing_below_the_cli_imports_the_cli_or_the_pipeline():
    found = []
    for rel, tree in _modules("cli/", "__main__.py", "pipeline.py", "workflow.py"):
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            for name in names:
                if name.startswith(("forecast.cli", "forecast.pipeline", "forecast.workflow")):
                    found.append(f"{rel}:{node.lineno}: {name}")
    assert not found, "\n".join(found)


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def test_tests_share_only_fixtures_and_use_only_public_names():
    """No test module imports another one or the conftest (shared things are conftest
    fixtures), and none reaches for a private name of the package (``_x``), imported or as an
    attribute of something imported from it."""
    found = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bound = set()  # local names of forecast modules and objects
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules = [node.module]
                names = [a.name for a in node.names]
                if node.module.split(".")[0] == "forecast":
                    bound |= {a.asname or a.name for a in node.names}
            elif isinstance(node, ast.Import):
                modules = [a.name for a in node.names]
                names = []
                bound |= {a.asname or a.name.split(".")[0] for a in node.names
                          if a.name.split(".")[0] == "forecast"}  # fmt: skip
            else:
                continue
            for module in modules:
                if module.split(".")[0] == "tests":
                    found.append(f"{rel}:{node.lineno}: imports {module}")
                if module.split(".")[0] == "forecast" and any(map(_private, module.split("."))):
                    found.append(f"{rel}:{node.lineno}: imports {module}")
            if modules[0].split(".")[0] == "forecast":
                found += [f"{rel}:{node.lineno}: imports {n}" for n in names if _private(n)]
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and _private(node.attr)
            ):
                found.append(f"{rel}:{node.lineno}: uses {node.value.id}.{node.attr}")
    assert not found, "\n".join(found)


def _is_fixture(decorator: ast.expr) -> bool:
    """``@pytest.fixture``, ``@fixture``, and either called with arguments."""
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Attribute):
        return decorator.attr == "fixture"
    return isinstance(decorator, ast.Name) and decorator.id == "fixture"


def _fixtures(tree: ast.AST) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    return [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and any(map(_is_fixture, node.decorator_list))
    ]


def test_fixtures_live_only_in_conftest_files():
    """A test module defines no fixture: fixtures are in the conftest.py of its directory (or
    of tests/), so every module of the directory can ask for them and none imports them."""
    found = []
    for path in sorted((ROOT / "tests").rglob("test_*.py")):
        rel = path.relative_to(ROOT).as_posix()
        fixtures = _fixtures(ast.parse(path.read_text(encoding="utf-8")))
        found += [f"{rel}:{f.lineno}: fixture {f.name}" for f in fixtures]
    assert not found, "\n".join(found)


def test_the_fixture_check_sees_every_spelling():
    source = (
        "import pytest\nfrom pytest import fixture\n"
        "@pytest.fixture\ndef a(): ...\n"
        "@pytest.fixture(scope='module')\ndef b(): ...\n"
        "@fixture\ndef c(): ...\n"
        "@fixture(autouse=True)\nasync def d(): ...\n"
        "class TestE:\n    @pytest.fixture\n    def e(self): ...\n"
        "@pytest.mark.slow\ndef test_f(): ...\n"
    )
    assert [f.name for f in _fixtures(ast.parse(source))] == ["a", "b", "c", "d", "e"]
