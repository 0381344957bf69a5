"""Attendance-points cases (issue 25, item 5): a level reached opens one case for the team's
managers with the points events attached; a manager records the decision and the day of the
conversation, once; nothing else is automatic. Services, API and pages."""

from datetime import timedelta

import pytest

from organisation.errors import InvalidInput
from organisation.models import AuditEvent, Notice
from tests.conftest import Org, client_for
from tests.factories.punches import local_today, past_shift
from timeclock.errors import PointsCaseDecided
from timeclock.models import PointsCase
from timeclock.services.points_cases import points_case_decide, points_cases_open
from timeclock.tasks import points_cases_open_all

pytestmark = pytest.mark.django_db


def absences(org: Org, days: int = 3) -> None:
    """`days` shifts in the last days with no clock-in: one point each (a warning at 3)."""
    today = local_today(org.op_a1)
    for back in range(2, 2 + days):
        past_shift(employee=org.op_a1, day=today - timedelta(days=back))


@pytest.fixture
def case(org: Org) -> PointsCase:
    absences(org)
    (opened,) = points_cases_open(team=org.team_a)
    return opened


def test_a_warning_opens_one_case_with_the_history_and_tells_the_managers(
    org: Org, case: PointsCase
) -> None:
    assert case.employee == org.op_a1
    assert case.level == "warning"
    assert case.points == 3
    assert [e["kind"] for e in case.events] == ["absent"] * 3
    assert case.decision == ""
    notice = Notice.objects.get(recipient=org.manager_a)
    assert notice.sentence["code"] == "points_case_opened"
    assert AuditEvent.objects.filter(action="points_case_opened").count() == 1
    # Again (the daily task, a second beat): nothing more.
    assert points_cases_open(team=org.team_a) == []
    assert points_cases_open_all() == 0
    assert PointsCase.objects.count() == 1


def test_more_points_open_the_next_level_and_nothing_is_decided_automatically(
    org: Org, case: PointsCase
) -> None:
    today = local_today(org.op_a1)
    for back in (6, 7):
        past_shift(employee=org.op_a1, day=today - timedelta(days=back))
    (final,) = points_cases_open(team=org.team_a)
    assert final.level == "final_warning"
    assert set(PointsCase.objects.values_list("decision", flat=True)) == {""}


@pytest.mark.parametrize(
    ("decision", "back", "note", "field"),
    [
        ("dismissed", None, "", "conversation_on"),
        ("warning_given", -1, "", "conversation_on"),  # a day still to come
        ("warning_given", 5, "", "conversation_on"),  # before the case opened
        ("other", 0, "", "note"),
        ("fired", 0, "", "decision"),
    ],
)
def test_bad_decisions_are_refused_and_nothing_is_written(
    org: Org, case: PointsCase, decision: str, back: int | None, note: str, field: str
) -> None:
    day = None if back is None else local_today(org.op_a1) - timedelta(days=back)
    with pytest.raises(InvalidInput) as refused:
        points_case_decide(
            case=case, decision=decision, conversation_on=day, note=note, by=org.manager_a
        )
    assert field in refused.value.extra["fields"]
    case.refresh_from_db()
    assert case.decision == ""
    assert not AuditEvent.objects.filter(action="points_case_decided").exists()


def test_a_decision_is_recorded_once_and_audited(org: Org, case: PointsCase) -> None:
    today = local_today(org.op_a1)
    points_case_decide(case=case, decision="warning_given", conversation_on=today, by=org.manager_a)
    case.refresh_from_db()
    assert (case.decision, case.conversation_on, case.decided_by) == (
        "warning_given",
        today,
        org.manager_a,
    )
    assert AuditEvent.objects.filter(action="points_case_decided").count() == 1
    with pytest.raises(PointsCaseDecided):
        points_case_decide(case=case, decision="dismissed", conversation_on=today, by=None)


def test_the_api_lists_shows_and_decides_for_the_teams_managers_only(
    org: Org, case: PointsCase
) -> None:
    api = client_for(org.manager_a)
    (listed,) = api.get("/api/v1/points-cases").json()
    assert listed["level"] == "warning"
    assert len(listed["events"]) == 3
    assert client_for(org.manager_b).get("/api/v1/points-cases").json() == []
    assert client_for(org.manager_b).get(f"/api/v1/points-cases/{case.pk}").status_code == 404
    assert client_for(org.op_a1.user).get("/api/v1/points-cases").status_code == 403
    today = str(local_today(org.op_a1))
    bad = api.post(f"/api/v1/points-cases/{case.pk}/decision", {"decision": "other"}, "json")
    assert bad.status_code == 400
    body = {"decision": "no_action", "conversation_on": today, "note": "Bus strike"}
    done = api.post(f"/api/v1/points-cases/{case.pk}/decision", body, "json")
    assert done.status_code == 200
    assert done.json()["decision"] == "no_action"
    again = api.post(f"/api/v1/points-cases/{case.pk}/decision", body, "json")
    assert again.status_code == 409
    assert again.json()["code"] == "points_case_decided"
    assert api.get("/api/v1/points-cases?all=1").json()[0]["note"] == "Bus strike"
