"""Pure modules import no Django, DRF or Celery, directly or through project modules."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PURE = [
    "scheduling/sentences.py",
    "scheduling/history_csv.py",
    "scheduling/local_grid.py",
    "scheduling/coverage.py",
    "scheduling/working_time.py",
    "scheduling/icalendar.py",
    "scheduling/forecast.py",
    "scheduling/erlang.py",
    "scheduling/solver",
    "scheduling/rules.py",
    "timeclock/attendance.py",
    "timeclock/pay.py",
    "timeclock/points.py",
    "timeclock/periods.py",
]
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
