"""The attendance pages' refusals and wording (issue 25 review): a refused day says why beside
its field in English and Dutch (not "Invalid input."), with its own code in the API; the points
history and the rule pack's name are in the reader's language."""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.conftest import Org, client_for
from tests.factories.punches import local_today
from tests.timeclock.test_points_cases import absences, case  # noqa: F401 (a fixture)
from timeclock.models import FineAcknowledgement, PointsCase

pytestmark = pytest.mark.django_db


def _field_error(page: str, field: str) -> str:
    return page.split(f'id="id_{field}_error"')[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("back", "english", "dutch"),
    [
        (
            -1,
            "The conversation&#x27;s day is still to come.",
            "De dag van het gesprek moet nog komen.",
        ),
        (
            30,
            "The conversation&#x27;s day is before the case was opened.",
            "De dag van het gesprek ligt vóór de opening van het dossier.",
        ),
    ],
)
def test_a_refused_conversation_day_says_why_beside_the_field(
    org: Org,
    case: PointsCase,  # noqa: F811
    login,
    back: int,
    english: str,
    dutch: str,
) -> None:
    url = reverse("web:points-case", args=[case.pk])
    body = {
        "decision": "warning_given",
        "conversation_on": str(local_today(org.op_a1) - timedelta(days=back)),
    }
    page = login(org.manager_a).post(url, body).content.decode()
    assert english in _field_error(page, "conversation_on")
    assert "Invalid input." not in page
    nl = login(org.manager_a, language="nl").post(url, body).content.decode()
    assert dutch in _field_error(nl, "conversation_on")
    assert "Ongeldige invoer." not in nl
    case.refresh_from_db()
    assert case.decision == ""


def test_the_api_names_the_refused_conversation_day_by_its_code(
    org: Org,
    case: PointsCase,  # noqa: F811
) -> None:
    url = f"/api/v1/points-cases/{case.pk}/decision"
    future = str(local_today(org.op_a1) + timedelta(days=1))
    answer = client_for(org.manager_a).post(
        url, {"decision": "warning_given", "conversation_on": future}, format="json"
    )
    assert answer.status_code == 400
    assert answer.json()["code"] == "points_case_conversation_to_come"


def test_a_receipt_day_to_come_or_recorded_twice_says_why_beside_the_day(org: Org, login) -> None:
    url = reverse("web:fine-rules")
    today = local_today(org.op_a1)
    future = {
        "employee": str(org.op_a1.pk),
        "received_on": str(today + timedelta(days=1)),
        "document": "Staff rules 2026",
    }
    page = login(org.manager_a).post(url, future).content.decode()
    assert "The day of receipt is still to come." in _field_error(page, "received_on")
    nl = login(org.manager_a, language="nl").post(url, future).content.decode()
    assert "De dag van ontvangst moet nog komen." in _field_error(nl, "received_on")
    assert not FineAcknowledgement.objects.exists()
    once = {**future, "received_on": str(today - timedelta(days=3))}
    assert login(org.manager_a).post(url, once).status_code == 302
    twice = login(org.manager_a).post(url, once).content.decode()
    assert "This receipt is already recorded" in _field_error(twice, "received_on")
    assert "Invalid input." not in twice
    nl = login(org.manager_a, language="nl").post(url, once).content.decode()
    assert "Deze ontvangst is al vastgelegd" in _field_error(nl, "received_on")
    assert FineAcknowledgement.objects.count() == 1
    api = client_for(org.manager_a).post(
        f"/api/v1/employees/{org.op_a1.pk}/fine-acknowledgements",
        {"received_on": once["received_on"], "document": "Staff rules 2026"},
        format="json",
    )
    assert (api.status_code, api.json()["code"]) == (409, "fine_acknowledgement_recorded")


def test_the_points_history_and_the_pack_are_in_the_readers_language(
    org: Org,
    case: PointsCase,  # noqa: F811
    login,
) -> None:
    case.events = [{"day": "2026-10-05", "kind": "late", "points": "0.5"}]
    case.save(update_fields=["events"])
    url = reverse("web:points-case", args=[case.pk])
    english = login(org.manager_a).get(url).content.decode()
    assert "<td>5 October 2026</td>" in english
    assert '<td class="num">0.5</td>' in english
    dutch = login(org.manager_a, language="nl").get(url).content.decode()
    assert "<td>5 oktober 2026</td>" in dutch
    assert '<td class="num">0,5</td>' in dutch
    assert "2026-10-05" not in dutch
    rules = login(org.manager_a, language="nl").get(reverse("web:fine-rules")).content.decode()
    assert "Nederland: Burgerlijk Wetboek art. 7:650" in rules
    policy = reverse("web:policy-edit") + f"?site={org.amsterdam.pk}"
    page = login(org.payroll, language="nl").get(policy).content.decode()
    assert "Regelpakket: Nederland: Burgerlijk Wetboek art. 7:650" in page
    assert "Netherlands" not in page
