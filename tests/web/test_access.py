"""Who may open what: logins, roles (403), scope (404), CSRF on unsafe requests, field
errors in place, and no pay rates or notes for people who may not see them."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from scheduling.models import Roster
from tests.conftest import Org
from tests.factories import employee_make
from timeclock.models import PayPeriod, Punch
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def period(org: Org, published: Roster) -> PayPeriod:
    return period_create(
        site=org.amsterdam,
        start_date=published.start_date,
        end_date=published.start_date + timedelta(days=6),
    )


def test_anonymous_users_are_sent_to_the_login_page(db: None) -> None:
    for name in ("web:dashboard", "web:my-week", "web:periods", "web:password-change"):
        response = Client().get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("web:login") + "?next=")


def test_login_with_a_wrong_password_shows_the_error_in_place(org: Org) -> None:
    org.op_a1.user.set_password("right-password-1")
    org.op_a1.user.save()
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("web:login"))
    token = page.cookies["csrftoken"].value
    wrong = client.post(
        reverse("web:login"),
        {"username": org.op_a1.user.username, "password": "nope", "csrfmiddlewaretoken": token},
    )
    assert wrong.status_code == 200
    assert "form-errors" in wrong.content.decode()
    right = client.post(
        reverse("web:login"),
        {
            "username": org.op_a1.user.username,
            "password": "right-password-1",
            "csrfmiddlewaretoken": token,
        },
    )
    assert right.status_code == 302


def test_operator_gets_403_on_manager_and_payroll_pages(org: Org, login) -> None:
    client = login(org.op_a1.user)
    for name in ("web:dashboard", "web:rosters", "web:attendance", "web:periods"):
        assert client.get(reverse(name)).status_code == 403, name


def test_manager_gets_403_on_payroll_pages_and_payroll_on_manager_pages(org: Org, login) -> None:
    assert login(org.manager_a).get(reverse("web:periods")).status_code == 403
    assert login(org.payroll).get(reverse("web:rosters")).status_code == 403


def test_operator_url_hacking_another_site_payslip_gets_404(
    org: Org, period: PayPeriod, login
) -> None:
    mine = login(org.op_a1.user).get(reverse("web:payslip", args=[period.pk]))
    assert mine.status_code == 200
    # op_b1 works at another site: the period is not theirs.
    assert login(org.op_b1.user).get(reverse("web:payslip", args=[period.pk])).status_code == 404


def test_manager_of_another_team_gets_404_on_the_roster_and_its_shifts(
    org: Org, published: Roster, login
) -> None:
    other = login(org.manager_b)
    assert other.get(reverse("web:roster", args=[published.pk])).status_code == 404
    shift = published.shifts.first()
    assert other.get(reverse("web:shift-edit", args=[shift.pk])).status_code == 404
    assert other.post(reverse("web:publish", args=[published.pk])).status_code == 404
    assert other.get(reverse("web:job", args=[published.job_id])).status_code == 404


def test_unsafe_requests_without_a_csrf_token_are_refused(
    org: Org, published: Roster, period: PayPeriod, login
) -> None:
    manager = login(org.manager_a, csrf=True)
    shift = published.shifts.first()
    url = reverse("web:shift-edit", args=[shift.pk])
    assert manager.post(url, {"note": "x"}).status_code == 403
    assert not Roster.objects.filter(status=Roster.Status.DRAFT).exists()
    payroll = login(org.payroll, csrf=True)
    assert payroll.post(reverse("web:period", args=[period.pk]), {}).status_code == 403
    operator = login(org.op_a1.user, csrf=True)
    assert operator.post(reverse("web:clock"), {"kind": "in"}).status_code == 403
    assert operator.post(reverse("web:logout")).status_code == 403
    assert not Punch.objects.exists()


def test_roster_build_form_shows_field_errors_in_place(org: Org, login) -> None:
    response = login(org.manager_a).post(
        reverse("web:rosters"), {"team": "", "start": "not a date", "days": "9"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="field-error"') >= 4  # team, start, days, time limit
    assert_descriptions_resolve(html)


def assert_descriptions_resolve(html: str) -> None:
    """Every id an input's aria-describedby names is on the page (a screen reader reads the
    error with the field), and every field error is named by its input."""
    described = [i for ids in re.findall(r'aria-describedby="([^"]*)"', html) for i in ids.split()]
    assert described
    on_page = set(re.findall(r' id="([^"]+)"', html))
    assert [i for i in described if i not in on_page] == []
    errors = re.findall(r'class="field-error"[^>]* id="([^"]+)"', html)
    assert errors
    assert [e for e in errors if e not in described] == []


def test_login_and_time_off_errors_are_tied_to_their_fields(org: Org, login) -> None:
    html = Client().post(reverse("web:login"), {"username": "", "password": ""}).content.decode()
    assert_descriptions_resolve(html)
    bad = login(org.op_a1.user).post(reverse("web:time-off"), {"start": "not a date", "end": ""})
    assert bad.status_code == 200
    assert_descriptions_resolve(bad.content.decode())


def test_roster_in_the_past_is_refused_with_the_reason(
    org: Org, setup, login, commits: None
) -> None:
    response = login(org.manager_a).post(
        reverse("web:rosters"),
        {"team": org.team_a.pk, "start": "2020-01-06", "days": 7, "time_limit_seconds": 2},
    )
    assert response.status_code == 200
    assert "The period starts in the past." in response.content.decode()


def test_shift_edit_that_breaks_rules_lists_them_and_needs_a_reason(
    org: Org, published: Roster, login
) -> None:
    shift = published.shifts.order_by("start").first()
    client = login(org.manager_a)
    url = reverse("web:shift-edit", args=[shift.pk])
    long_day = {
        "day": str(shift.local_date),
        "start_time": "06:00",
        "end_time": "21:00",
        "activity": "phone",
        "queue": shift.queue_id or "",
        "note": "",
    }
    refused = client.post(url, long_day)
    html = refused.content.decode()
    assert refused.status_code == 422
    assert "would break these rules" in html
    no_reason = client.post(url, {**long_day, "override": "on"})
    assert "Give a reason to override the rules." in no_reason.content.decode()
    kept = client.post(url, {**long_day, "override": "on", "reason": "Event day"})
    assert kept.status_code == 302


def test_pay_rates_and_notes_stay_hidden_from_people_who_may_not_see_them(
    org: Org, published: Roster, login
) -> None:
    shift = published.shifts.filter(employee=org.op_a2).first()
    shift.note = "Private coaching note"
    shift.save(update_fields=["note"])
    org.op_a2.hourly_rate = "23.4567"
    org.op_a2.save(update_fields=["hourly_rate"])
    week = f"?week={published.start_date}"
    mine = login(org.op_a1.user).get(reverse("web:my-week") + week).content.decode()
    assert "Private coaching note" not in mine
    theirs = login(org.op_a2.user).get(reverse("web:my-week") + week).content.decode()
    assert "Private coaching note" in theirs
    manager_pages = [
        login(org.manager_a).get(reverse("web:roster", args=[published.pk])),
        login(org.manager_a).get(reverse("web:attendance")),
    ]
    for response in manager_pages:
        assert "23.4567" not in response.content.decode()
        assert "23,46" not in response.content.decode()


def test_home_operator_clocks_in_after_confirming(org: Org, login) -> None:
    home = employee_make(team=org.team_a, is_home_worker=True)
    client = login(home.user)
    confirm = client.get(reverse("web:clock") + "?kind=in").content.decode()
    assert "Confirm" in confirm
    event = confirm.split('name="event_id" value="')[1].split('"')[0]
    for _ in range(2):  # a double submit is one punch
        response = client.post(reverse("web:clock"), {"kind": "in", "event_id": event})
        assert response.status_code == 302
    assert Punch.objects.filter(employee=home, source="remote").count() == 1


def test_office_operator_cannot_clock_from_home(org: Org, login) -> None:
    client = login(org.op_a1.user)
    response = client.post(
        reverse("web:clock"),
        {"kind": "in", "event_id": "6f1c7a62-3f0e-4a5c-9a76-2a8f4b1a9c11"},
        follow=True,
    )
    assert "not allowed" in response.content.decode()
    assert not Punch.objects.exists()
