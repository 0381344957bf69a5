"""Pure modules import no Django, DRF or Celery, directly or through project modules."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def makefile_pure_modules() -> list[str]:
    """The one list of pure modules: the Makefile's PURE_MODULES (mypy strict runs on it too)."""
    text = (ROOT / "Makefile").read_text().replace("\\\n", " ")
    match = re.search(r"^PURE_MODULES := \$\(wildcard ([^)]*)\)", text, re.M)
    assert match, "Makefile has no PURE_MODULES := $(wildcard ...) line"
    return match.group(1).split()


PURE = makefile_pure_modules()
FORBIDDEN = ("django", "rest_framework", "celery", "drf_spectacular")


def pure_files() -> list[Path]:
    files: list[Path] = []
    for entry in PURE:
        path = ROOT / entry
        if path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
        elif path.exists():
            files.append(path)
    return files


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def module_path(name: str) -> Path | None:
    base = ROOT / Path(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.exists():
            return candidate
    return None


def test_pure_modules_exist() -> None:
    assert pure_files(), "no pure module found: the gate would check nothing"
    missing = [entry for entry in PURE if not (ROOT / entry).exists()]
    assert missing == [], "the Makefile names pure modules that do not exist"


@pytest.mark.parametrize("path", pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_pure_module_imports_no_framework(path: Path) -> None:
    seen: set[Path] = set()
    todo = [path]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imported_modules(current):
            assert name.split(".")[0] not in FORBIDDEN, f"{current} imports {name}"
            local = module_path(name)
            if local is not None:
                todo.append(local)
