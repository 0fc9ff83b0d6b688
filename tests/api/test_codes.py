"""Statuses, outcomes and vocabulary are `Code` enums: no service compares a value against a bare
string of one of their codes, and docs/glossary.md lists every code of every enum."""

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from thidua_shared.contracts.codes import Code

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path for path in (ROOT / "services").glob("*/src/*/**/*.py") if "migrations" not in path.parts
)
GLOSSARY = ROOT / "docs" / "glossary.md"
COMPARISONS = (ast.Eq, ast.NotEq, ast.In, ast.NotIn)


def _module(path: Path) -> str:
    src = next(p for p in path.parents if p.name == "src")
    return ".".join(path.relative_to(src).with_suffix("").parts)


def code_enums() -> dict[str, type[Code]]:
    """Every enum of the vocabulary and of the services' `codes` modules, by qualified name."""
    modules = ["thidua_shared.contracts.vocabulary"] + [
        _module(path) for path in SOURCES if path.name == "codes.py"
    ]
    found = {}
    for name in modules:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Code) and value.__module__ == name:
                found[f"{name}.{value.__name__}"] = value
    return found


def _strings(node: ast.expr) -> Iterator[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.Tuple | ast.List | ast.Set):
        for element in node.elts:
            yield from _strings(element)


def bare_codes(source: str, codes: frozenset[str]) -> Iterator[tuple[int, str]]:
    """Line and code of every `==`, `!=`, `in` or `not in` against a string that is a code."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare) and any(isinstance(o, COMPARISONS) for o in node.ops):
            for operand in (node.left, *node.comparators):
                for value in _strings(operand):
                    if value in codes:
                        yield node.lineno, value


def test_the_checker_finds_bare_codes_and_lets_members_pass() -> None:
    codes = frozenset({"open", "draft"})
    source = 'a == "open"\nb in ("draft", "x")\nc == Status.OPEN\nd == "pdf"\ne = "open"\n'
    assert list(bare_codes(source, codes)) == [(1, "open"), (2, "draft")]


def test_no_service_compares_against_a_bare_code() -> None:
    codes = frozenset(member.value for enum in code_enums().values() for member in enum)
    found = [
        f"{path.relative_to(ROOT)}:{line}: {value!r}"
        for path in SOURCES
        for line, value in bare_codes(path.read_text("utf-8"), codes)
    ]
    assert found == [], "compare with the Code enum's member instead:\n" + "\n".join(found)


def _glossary_sections() -> dict[str, set[str]]:
    sections: dict[str, set[str]] = {}
    current: set[str] = set()
    for line in GLOSSARY.read_text("utf-8").splitlines():
        heading = re.fullmatch(r"## `([\w.]+)`", line)
        if heading:
            current = sections.setdefault(heading.group(1), set())
        elif row := re.match(r"\| `([^`]+)` \|", line):
            current.add(row.group(1))
    return sections


@pytest.mark.parametrize("name", sorted(code_enums()))
def test_the_glossary_lists_every_code(name: str) -> None:
    listed = _glossary_sections().get(name)
    assert listed is not None, f"docs/glossary.md has no section for {name}"
    assert listed == {member.value for member in code_enums()[name]}
