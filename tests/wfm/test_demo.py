"""`manage.py demo` loads the demo organisation, idempotently, and prints its summary."""

from io import StringIO

import pytest
from django.core.management import call_command

from wfm.models import Employee, Job, Queue, Site, Team
from wfm.roles import Role, role_group

# Real commits, so the report job is sent on commit exactly as on the command line.
pytestmark = pytest.mark.django_db(transaction=True)


def run_demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
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


def test_demo_loads_the_organisation_and_is_idempotent() -> None:
    output = run_demo()
    first = snapshot()
    second_output = run_demo()
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


def test_demo_rates_respect_site_minimum_wage() -> None:
    run_demo()
    for employee in Employee.objects.select_related("team__site"):
        assert employee.hourly_rate >= employee.team.site.minimum_hourly_wage
