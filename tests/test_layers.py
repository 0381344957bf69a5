"""Imports run one way: organisation, scheduling, timeclock, web, then the project shell (wfm).
No module imports a module of an app above its own, at the top or inside a function; and no
service or selector imports a tasks module (tasks call services, never the other way)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["organisation", "scheduling", "timeclock", "web", "wfm"]
RANK = {app: rank for rank, app in enumerate(LAYERS)}


def source_files() -> list[Path]:
    return sorted(
        path
        for app in LAYERS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
    )


def imports_of(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every absolute import, wherever it is in the file."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend((node.lineno, f"{node.module}.{alias.name}") for alias in node.names)
    return found


def test_the_layers_exist() -> None:
    assert all((ROOT / app / "__init__.py").exists() for app in LAYERS)
    assert len(source_files()) > 100, "the check would read almost nothing"


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_an_app_above_its_own(path: Path) -> None:
    own = path.relative_to(ROOT).parts[0]
    above = [
        f"line {line}: {name}"
        for line, name in imports_of(path)
        if RANK.get(name.split(".")[0], -1) > RANK[own]
    ]
    assert above == [], f"{own} is below {above}"


@pytest.mark.parametrize(
    "path",
    [p for p in source_files() if {"services", "selectors"} & set(p.relative_to(ROOT).parts)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_services_and_selectors_import_no_tasks(path: Path) -> None:
    tasks = [
        f"line {line}: {name}"
        for line, name in imports_of(path)
        if "tasks" in name.split(".") or name.endswith(".tasks")
    ]
    assert tasks == []


def test_the_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "example.py"
    module.write_text("def f():\n    from web.views import manager\n    import wfm.settings\n")
    assert imports_of(module) == [(2, "web.views.manager"), (3, "wfm.settings")]
