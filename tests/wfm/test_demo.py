"""`manage.py demo` loads the demo organisation, idempotently, and prints its summary."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from scheduling.models import HistoryImport, StaffingRequirement
from wfm.models import Employee, Job, Queue, Site, Team
from wfm.roles import Role, role_group

# Real commits, so the report job is sent on commit exactly as on the command line.
pytestmark = pytest.mark.django_db(transaction=True)


START = date(2026, 3, 23)  # the planning week holds the spring DST change (29 March)


def run_demo(out_dir: Path) -> str:
    out = StringIO()
    call_command("demo", "--start", str(START), "--output-dir", str(out_dir), stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "sites": sorted(Site.objects.values_list("name", "timezone")),
        "queues": sorted(Queue.objects.values_list("name", "client_name")),
        "teams": Team.objects.count(),
        "employees": sorted(
            Employee.objects.values_list("number", "team__name", "hourly_rate", "badge_id")
        ),
        "managers": role_group(Role.MANAGER).user_set.count(),
        "payroll": role_group(Role.PAYROLL).user_set.count(),
    }


def test_demo_loads_the_organisation_and_is_idempotent(tmp_path: Path) -> None:
    output = run_demo(tmp_path)
    first = snapshot()
    second_output = run_demo(tmp_path)
    assert snapshot() == first
    assert first["sites"] == [
        ("Amsterdam", "Europe/Amsterdam"),
        ("New York", "America/New_York"),
    ]
    assert len(first["queues"]) == 3
    assert [name for name, client in first["queues"] if client] == ["Acme Insurance Claims"]
    assert len(first["employees"]) == 60
    assert first["managers"] == 3
    assert first["payroll"] == 1
    assert Employee.objects.filter(is_home_worker=True).exists()
    assert Employee.objects.values("max_weekly_minutes").distinct().count() >= 3
    assert Job.objects.filter(kind="headcount_report", status="succeeded").count() == 2
    for text in (output, second_output):
        assert "Amsterdam" in text
        assert "Acme Insurance" in text
        assert "Claims Desk" in text


def test_demo_forecasts_every_queue_into_staffing_with_charts(tmp_path: Path) -> None:
    output = run_demo(tmp_path)
    assert HistoryImport.objects.count() == 3
    for queue in Queue.objects.all():
        rows = StaffingRequirement.objects.filter(queue=queue)
        # 7 local days of 15-minute intervals; Amsterdam's week loses the skipped hour.
        expected = 7 * 96 - (4 if queue.site.timezone == "Europe/Amsterdam" else 0)
        assert rows.count() == expected
        assert rows.filter(scheduled_agents__gt=0).exists()
        chart = tmp_path / f"forecast_{queue.name.lower().replace(' ', '-')}.png"
        assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Forecast and staffing" in output
    run_demo(tmp_path)
    assert HistoryImport.objects.count() == 3  # the same history files: no-op


def test_demo_rates_respect_site_minimum_wage(tmp_path: Path) -> None:
    run_demo(tmp_path)
    for employee in Employee.objects.select_related("team__site"):
        assert employee.hourly_rate >= employee.team.site.minimum_hourly_wage
