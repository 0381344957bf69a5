"""Every page renders for its role, with pinned query counts on the heavy ones."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from scheduling.models import Roster
from tests.conftest import Org
from tests.timeclock.test_payroll import FIRST, _punch, _roster, _shift
from timeclock.models import PayPeriod
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db


def _ok(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title, url
    assert "<" not in title.group(1), (url, "the title holds markup")
    return html


def test_manager_pages_render(org: Org, published: Roster, login) -> None:
    client = login(org.manager_a)
    assert "Dashboard" in _ok(client, reverse("web:dashboard"))
    assert "Build a roster" in _ok(client, reverse("web:rosters"))
    page = _ok(client, reverse("web:roster", args=[published.pk]))
    assert 'data-testid="coverage-heatmap"' in page
    assert org.op_a1.full_name in page
    shift = published.shifts.first()
    assert "Override the rules" in _ok(client, reverse("web:shift-edit", args=[shift.pk]))
    assert "Attendance points" in _ok(client, reverse("web:attendance"))
    assert "Punch corrections" in _ok(client, reverse("web:approvals"))
    assert _ok(client, reverse("web:job", args=[published.job_id]))


def test_operator_pages_render(org: Org, published: Roster, login) -> None:
    client = login(org.op_a1.user)
    week = _ok(client, reverse("web:my-week") + f"?week={published.start_date}")
    assert "Europe/Amsterdam" in week
    assert "Clock in" in _ok(client, reverse("web:clock"))
    assert "Confirm" in _ok(client, reverse("web:clock") + "?kind=in")
    assert _ok(client, reverse("web:timesheet"))
    assert _ok(client, reverse("web:payslips"))
    assert "secret link" in _ok(client, reverse("web:calendar"))


def test_payroll_pages_render(org: Org, published: Roster, login) -> None:
    period = period_create(
        site=org.amsterdam,
        start_date=published.start_date,
        end_date=published.start_date + timedelta(days=6),
    )
    client = login(org.payroll)
    assert "Pay periods" in _ok(client, reverse("web:periods"))
    assert "Close the period" in _ok(client, reverse("web:period", args=[period.pk]))
    assert PayPeriod.objects.get(pk=period.pk).status == "open"


def test_home_sends_each_role_to_its_pages(org: Org, login) -> None:
    for user, name in (
        (org.manager_a, "web:dashboard"),
        (org.payroll, "web:periods"),
        (org.op_a1.user, "web:my-week"),
    ):
        response = login(user).get("/")
        assert response.status_code == 302
        assert response["Location"] == reverse(name)


def test_job_progress_polls_then_sends_htmx_to_the_roster(
    org: Org, published: Roster, login
) -> None:
    client = login(org.manager_a)
    response = client.get(reverse("web:job", args=[published.job_id]), headers={"HX-Request": "1"})
    assert response.status_code == 200
    assert 'id="job-progress"' in response.content.decode()
    assert response["HX-Redirect"] == reverse("web:roster", args=[published.pk])


def test_large_roster_parts_load_on_their_own(org: Org, published: Roster, login) -> None:
    client = login(org.manager_a)
    url = reverse("web:roster", args=[published.pk])
    coverage = client.get(url, {"part": "coverage"}).content.decode()
    assert 'data-testid="coverage-heatmap"' in coverage
    assert "<html" not in coverage
    diff = client.get(reverse("web:publish", args=[published.pk]), {"part": "diff"})
    assert 'id="publish-diff"' in diff.content.decode()


def test_attendance_lists_exceptions_from_a_chosen_day_and_points(org: Org, login) -> None:
    roster = _roster(org)
    shift = _shift(roster, org.op_a1, 1)
    _punch(org.op_a1, "in", shift.start + timedelta(minutes=20))
    _punch(org.op_a1, "out", shift.end)
    page = login(org.manager_a).get(reverse("web:attendance"), {"since": str(FIRST)})
    html = page.content.decode()
    assert "Late 20 min" in html
    assert "op_a2" not in html.split("Attendance points")[0]  # op_a2 had no exception
