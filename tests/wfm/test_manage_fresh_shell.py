"""Every `manage.py` line of the README runs in a fresh shell after `make install` (no
DJANGO_* variable exported), while production stays strict: a secret key keeps DEBUG off, and
gunicorn's entry point still refuses to start without one."""

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.wfm.test_settings import ROOT, production_env, run_manage

COMMAND = re.compile(r"manage\.py (\w+)")


def _readme_commands() -> list[str]:
    return sorted(set(COMMAND.findall((ROOT / "README.md").read_text())))


def test_manage_py_runs_in_development_mode_in_a_fresh_shell(tmp_path: Path) -> None:
    result = run_manage("check", WFM_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    code = "from django.conf import settings as s; print(s.DEBUG)"
    shell = run_manage("shell", "-v", "0", "-c", code, WFM_VAR_DIR=str(tmp_path))
    assert shell.stdout.strip() == "True", shell.stderr


def test_every_manage_py_command_of_the_readme_starts_in_a_fresh_shell(tmp_path: Path) -> None:
    commands = _readme_commands()
    assert {"import_history", "forecast", "build_roster", "close_period"} <= set(commands)
    for command in commands:
        result = run_manage(command, "--help", WFM_VAR_DIR=str(tmp_path))
        assert result.returncode == 0, (command, result.stderr)


def test_the_readme_forecast_line_runs_on_a_csv_in_a_fresh_shell(tmp_path: Path) -> None:
    history = ROOT / "fixtures" / "anonymous_bank_1999_08_first300.csv"
    output = tmp_path / "forecast.csv"
    result = run_manage(
        "forecast",
        "--history",
        str(history),
        "--start",
        "1999-08-09",
        "--days",
        "7",
        "--interval-minutes",
        "30",
        "--output",
        str(output),
        WFM_VAR_DIR=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert output.read_text().startswith("interval_start,calls")


def test_a_secret_key_without_debug_keeps_production_mode(tmp_path: Path) -> None:
    env = production_env() | {"WFM_VAR_DIR": str(tmp_path)}
    del env["DJANGO_DEBUG"]
    code = "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE)"
    result = run_manage("shell", "-v", "0", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True"


def test_gunicorn_entry_point_still_needs_a_secret_key(tmp_path: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import wfm.wsgi"],
        cwd=ROOT,
        env=clean | {"WFM_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
