"""The import graph of the services and the kit, read from the source: no cycles anywhere, no
service importing another (nor the kit a service), the awards stages importing only stages
before them in the law's order, and the compile rules importing no I/O."""

import ast
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("campaigns", "pledges", "reports", "awards")
PACKAGES = {
    "thidua_shared": ROOT / "shared" / "src" / "thidua_shared",
    "thidua_local": ROOT / "deploy" / "local" / "src" / "thidua_local",
    **{name: ROOT / "services" / name / "src" / name for name in SERVICES},
}
# The awards stages in the order of the law: each may import those before it, none after.
STAGES = (
    "read_model",
    "history",
    "common",
    "compile",
    "voting",
    "council",
    "disclosure",
    "decisions",
    "exemplars",
)
RULES = "awards.compile.rules"
# The pure rules read facts and answer nominations: no files, sockets, processes or databases.
RULES_MAY_IMPORT = ("pydantic", "thidua_shared.contracts", RULES)
IO_MODULES = frozenset(
    {
        "os",
        "pathlib",
        "io",
        "socket",
        "ssl",
        "asyncio",
        "selectors",
        "select",
        "subprocess",
        "shutil",
        "tempfile",
        "glob",
        "fileinput",
        "sqlite3",
        "http",
        "urllib",
        "ftplib",
        "smtplib",
        "threading",
        "multiprocessing",
        "concurrent",
        "signal",
        "mmap",
        "logging",
        "importlib",
        "pkgutil",
        "builtins",
    }
)


def _module_name(package: str, root: Path, path: Path) -> str:
    parts = [package, *path.relative_to(root).with_suffix("").parts]
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _sources() -> dict[str, Path]:
    return {
        _module_name(package, root, path): path
        for package, root in PACKAGES.items()
        for path in sorted(root.rglob("*.py"))
    }


def imported_names(module: str, source: str, *, is_package: bool = False) -> Iterator[str]:
    """Every name the module imports, as written or resolved from a relative import; for
    `from a import b`, both `a` and `a.b` (b may be a module or a name in a)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
                base = ".".join([*anchor, base] if base else anchor)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def _graph() -> dict[str, set[str]]:
    sources = _sources()
    graph: dict[str, set[str]] = {}
    for module, path in sources.items():
        is_package = path.name == "__init__.py"
        source = path.read_text(encoding="utf-8")
        named = {n for n in imported_names(module, source, is_package=is_package) if n in sources}
        # `from a import b` where b is a module names both: the module is what it imports.
        targets = {t for t in named if not any(o.startswith(t + ".") for o in named)}
        # Importing a.b.c runs the packages a and a.b first, unless the importer is inside them.
        for target in list(targets):
            parts = target.split(".")
            for n in range(1, len(parts)):
                package = ".".join(parts[:n])
                if package in sources and not module.startswith(package + "."):
                    targets.add(package)
        targets.discard(module)
        graph[module] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _within(name: str, prefixes: Iterable[str]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def rules_violations(module: str, source: str) -> list[str]:
    """Imports of a compile-rules module beyond the standard library without I/O, pydantic,
    the event contracts and the rules themselves."""
    wrong = []
    for name in imported_names(module, source, is_package=module == RULES):
        top = name.split(".")[0]
        if top == "__future__" or _within(name, RULES_MAY_IMPORT):
            continue
        if top in sys.stdlib_module_names and top not in IO_MODULES:
            continue
        wrong.append(name)
    return wrong


def test_no_import_cycles() -> None:
    assert cycles(_graph()) == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service: str) -> None:
    others = [s for s in SERVICES if s != service]
    roots = [PACKAGES[service], ROOT / "services" / service / "tests"]
    wrong = {
        f"{path.relative_to(ROOT)}: {name}"
        for root in roots
        for path in root.rglob("*.py")
        for name in imported_names(service, path.read_text(encoding="utf-8"))
        if _within(name, others)
    }
    assert sorted(wrong) == []


def test_the_kit_imports_no_service() -> None:
    graph = _graph()
    wrong = {
        f"{module}: {target}"
        for module, targets in graph.items()
        if _within(module, ["thidua_shared"])
        for target in targets
        if _within(target, SERVICES)
    }
    assert sorted(wrong) == []


def test_the_awards_stages_import_only_earlier_stages() -> None:
    def stage(module: str) -> int | None:
        parts = module.split(".")
        if parts[0] != "awards" or len(parts) < 2 or parts[1] not in STAGES:
            return None
        return STAGES.index(parts[1])

    wrong = []
    for module, targets in _graph().items():
        here = stage(module)
        for target in targets:
            there = stage(target)
            if here is not None and there is not None and there > here:
                wrong.append(f"{module} imports {target}")
            if here is not None and target in {"awards.handlers", "awards.main"}:
                wrong.append(f"{module} imports {target}")
    assert sorted(wrong) == []


def test_the_compile_rules_import_no_io() -> None:
    wrong = {
        f"{module}: {name}"
        for module, path in _sources().items()
        if _within(module, [RULES])
        for name in rules_violations(module, path.read_text(encoding="utf-8"))
    }
    assert "awards.compile.rules.engine" in _sources()
    assert sorted(wrong) == []


@pytest.mark.parametrize(
    "line",
    [
        "import os",
        "from pathlib import Path",
        "import io",
        "import socket",
        "import asyncio",
        "from sqlalchemy import select",
        "from fastapi import APIRouter",
        "import httpx",
        "import yaml",
        "from awards.compile import store",
        "from thidua_shared.platform.clock import now",
        "from .. import store",
    ],
)
def test_the_rules_contract_names_an_io_import(line: str) -> None:
    assert rules_violations("awards.compile.rules.engine", line) != []


@pytest.mark.parametrize(
    "line",
    [
        "import math",
        "from collections.abc import Mapping",
        "from pydantic import BaseModel",
        "from thidua_shared.contracts.vocabulary import TITLES",
        "from awards.compile.rules.facts import UnitFacts",
        "from .facts import UnitFacts",
    ],
)
def test_the_rules_contract_lets_pure_imports_pass(line: str) -> None:
    assert rules_violations("awards.compile.rules.engine", line) == []


def test_a_cycle_is_named() -> None:
    graph = {"a.x": {"a.y"}, "a.y": {"a.z"}, "a.z": {"a.x"}, "a.w": {"a.x"}}
    assert cycles(graph) == [["a.x", "a.y", "a.z"]]
