"""Attendance-points case pages (issue 25, item 5): the open cases, a case with its points
history, the decision form with its refusals beside the fields, English and Dutch."""

import pytest
from django.urls import reverse

from tests.conftest import Org
from tests.factories.punches import local_today
from tests.timeclock.test_points_cases import absences, case  # noqa: F401 (a fixture)
from timeclock.models import PointsCase

pytestmark = pytest.mark.django_db


def test_the_pages_list_the_case_show_its_history_and_take_the_decision(
    org: Org,
    case: PointsCase,  # noqa: F811
    login,
) -> None:
    manager = login(org.manager_a)
    listing = manager.get(reverse("web:points-cases")).content.decode()
    assert "op_a1" in listing or org.op_a1.number in listing
    assert reverse("web:points-case", args=[case.pk]) in listing
    url = reverse("web:points-case", args=[case.pk])
    page = manager.get(url).content.decode()
    assert page.count("<td>Absent</td>") == 3
    refused = manager.post(url, {"decision": "other", "conversation_on": ""}).content.decode()
    assert 'id="id_conversation_on_error"' in refused
    today = str(local_today(org.op_a1))
    dutch = login(org.manager_a, language="nl").post(
        url, {"decision": "other", "conversation_on": today}
    )
    assert "Zeg wat er is besloten." in dutch.content.decode()
    assert (
        manager.post(url, {"decision": "final_warning_given", "conversation_on": today}).status_code
        == 302
    )
    assert "Final warning given" in manager.get(url).content.decode()
    assert login(org.manager_b).get(url).status_code == 404


def test_the_check_button_opens_the_cases_the_points_call_for(org: Org, login) -> None:
    absences(org)
    response = login(org.manager_a).post(reverse("web:points-cases-check"))
    assert response.status_code == 302
    assert PointsCase.objects.filter(employee=org.op_a1, level="warning").exists()
