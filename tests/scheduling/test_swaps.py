"""Shift swaps, give-aways and the open-shift board through the API: the lifecycle, the rule
checks at each step, the published versions they write, permissions and bad input."""

from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organisation.models import Notice
from organisation.roles import Role, role_group
from scheduling.models import (
    RequestPolicy,
    Roster,
    RosterChange,
    Shift,
    ShiftSwap,
    SwapEvent,
)
from scheduling.selectors.roster_rules import roster_violations
from scheduling.services.roster_versions import roster_revise
from scheduling.services.swaps import swaps_expire
from tests.conftest import Org, client_for
from tests.factories import employee_make
from tests.factories.requests import Published, published_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _commits(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run on-commit work (notices) at once, as a commit would."""
    monkeypatch.setattr(
        "django.db.transaction.on_commit", lambda func, using=None, robust=False: func()
    )


@pytest.fixture
def pub(org: Org) -> Published:
    return published_make(team=org.team_a, people=[org.op_a1, org.op_a2])


def post(user: Any, url: str, body: dict[str, Any] | None = None) -> Any:
    return client_for(user).post(f"/api/v1/{url}", body or {}, format="json")


def offer(org: Org, shift: Shift, **body: Any) -> Any:
    return post(org.op_a1.user, "swaps", {"shift": str(shift.pk), **body})


def current(shift: Shift) -> Shift:
    """The shift's copy in the series' published version now."""
    key = shift.origin or shift.pk
    return Shift.objects.get(state=Roster.Status.PUBLISHED, origin=key)


def test_direct_swap_accepted_and_approved_writes_a_new_published_version(
    org: Org, pub: Published
) -> None:
    monday = pub.shift(org.op_a1, 0)
    tuesday = pub.shift(org.op_a2, 1)
    response = offer(org, monday, kind="swap", counterpart_shift=str(tuesday.pk), note="dentist")
    assert response.status_code == 201, response.json()
    swap_id = response.json()["id"]
    assert response.json()["status"] == "pending"
    expires = datetime.fromisoformat(response.json()["expires_at"])
    assert expires == monday.start - timedelta(hours=24), "the default notice is 24 h"

    accepted = post(org.op_a2.user, f"swaps/{swap_id}/accept")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["status"] == "accepted"
    queue = client_for(org.manager_a).get("/api/v1/approvals").json()
    assert [s["id"] for s in queue["swaps"]] == [swap_id]

    approved = post(org.manager_a, f"swaps/{swap_id}/approve", {"reason": "fine"})
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["status"] == "approved"
    assert body["applied_roster_version"] == 2

    pub.roster.refresh_from_db()
    assert pub.roster.status == Roster.Status.SUPERSEDED
    # The published version never changed: its rows still belong to the old owners.
    assert Shift.objects.get(pk=monday.pk).employee_id == org.op_a1.pk
    new = Roster.objects.get(pk=body["applied_roster"])
    assert new.status == Roster.Status.PUBLISHED
    assert current(monday).employee_id == org.op_a2.pk
    assert current(tuesday).employee_id == org.op_a1.pk
    assert current(monday).breaks.count() == 1, "breaks travel with the shift"
    assert roster_violations(new) == []
    assert RosterChange.objects.filter(roster=new, action="swapped").count() == 2
    assert list(
        SwapEvent.objects.filter(swap_id=swap_id).values_list("from_status", "to_status")
    ) == [("", "pending"), ("pending", "accepted"), ("accepted", "approved")]


def test_each_event_notifies_its_people_once(org: Org, pub: Published) -> None:
    org.op_a2.user.email = "a2@example.com"
    org.op_a2.user.save()
    monday, tuesday = pub.shift(org.op_a1, 0), pub.shift(org.op_a2, 1)
    swap_id = offer(org, monday, kind="swap", counterpart_shift=str(tuesday.pk)).json()["id"]
    assert Notice.objects.filter(recipient=org.op_a2.user).count() == 1
    assert [m.to for m in mail.outbox] == [["a2@example.com"]]
    post(org.op_a2.user, f"swaps/{swap_id}/accept")
    post(org.manager_a, f"swaps/{swap_id}/approve")
    keys = sorted(
        Notice.objects.filter(event_key__startswith="swap:").values_list(
            "event_key", "recipient__username"
        )
    )
    assert (f"swap:{swap_id}:pending", "op_a2") in keys
    assert (f"swap:{swap_id}:accepted", "manager_a") in keys
    assert (f"swap:{swap_id}:approved", "op_a1") in keys
    assert len(keys) == len(set(keys))
    assert Notice.objects.filter(sent_at__isnull=True).count() == 0


def test_give_away_to_a_named_colleague(org: Org, pub: Published) -> None:
    monday = pub.shift(org.op_a1, 0)
    swap_id = offer(org, monday, kind="give_away", counterpart=str(org.op_a2.pk)).json()["id"]
    assert post(org.op_a2.user, f"swaps/{swap_id}/accept").status_code == 200
    assert post(org.manager_a, f"swaps/{swap_id}/approve").json()["status"] == "approved"
    assert current(monday).employee_id == org.op_a2.pk


def test_open_shift_board_shows_only_qualified_colleagues_and_first_pick_up_wins(
    org: Org, pub: Published
) -> None:
    monday = pub.shift(org.op_a1, 0)
    unskilled = employee_make(team=org.team_a)
    swap_id = offer(org, monday, kind="open").json()["id"]
    board = client_for(org.op_a2.user).get("/api/v1/open-shifts").json()
    assert [s["id"] for s in board["results"]] == [swap_id]
    assert client_for(unskilled.user).get("/api/v1/open-shifts").json()["results"] == []
    assert client_for(org.op_a1.user).get("/api/v1/open-shifts").json()["results"] == []
    refused = post(unskilled.user, f"swaps/{swap_id}/accept")
    assert refused.status_code == 409
    assert refused.json()["code"] == "swap_breaks_skill"
    picked = post(org.op_a2.user, f"swaps/{swap_id}/accept")
    assert picked.json()["counterpart"]["id"] == str(org.op_a2.pk)
    late = post(pub.setup.people[-1].user, f"swaps/{swap_id}/accept")
    assert client_for(pub.setup.people[-1].user).get("/api/v1/open-shifts").json()["results"] == []
    assert late.json()["code"] == "swap_wrong_state"
    assert post(org.manager_a, f"swaps/{swap_id}/approve").json()["status"] == "approved"
    assert current(monday).employee_id == org.op_a2.pk


def test_release_of_an_open_shift_needs_cover_to_stay_above_the_threshold(
    org: Org, pub: Published
) -> None:
    monday = pub.shift(org.op_a1, 0)  # the only agent on Monday: releasing it leaves a gap
    swap_id = offer(org, monday, kind="open").json()["id"]
    refused = post(org.manager_a, f"swaps/{swap_id}/approve")
    assert refused.status_code == 409
    assert refused.json()["code"] == "swap_drops_coverage"
    assert refused.json()["extra"]["intervals"]
    assert ShiftSwap.objects.get(pk=swap_id).status == "pending"
    assert Roster.objects.filter(scope_key=pub.roster.scope_key).count() == 1, "nothing written"

    RequestPolicy.objects.create(team=org.team_a, release_min_cover_ratio=0)
    released = post(org.manager_a, f"swaps/{swap_id}/approve").json()
    assert released["status"] == "approved"
    assert released["released"] is True
    new = Roster.objects.get(pk=released["applied_roster"])
    assert not new.shifts.filter(origin=monday.pk).exists()
    assert RosterChange.objects.filter(roster=new, action="released").count() == 1


def test_auto_approval_when_the_policy_allows_and_every_check_passes(
    org: Org, pub: Published
) -> None:
    RequestPolicy.objects.create(team=org.team_a, auto_approve_swaps=True)
    monday = pub.shift(org.op_a1, 0)
    swap_id = offer(org, monday, kind="give_away", counterpart=str(org.op_a2.pk)).json()["id"]
    body = post(org.op_a2.user, f"swaps/{swap_id}/accept").json()
    assert body["status"] == "approved"
    assert body["auto_approved"] is True
    assert current(monday).employee_id == org.op_a2.pk


def test_swap_refused_when_rest_below_eleven_hours(org: Org, pub: Published) -> None:
    pub.shift(org.op_a2, 0, 14)  # Monday 14:00-22:00
    tuesday = pub.shift(org.op_a1, 1, 8)  # 08:00: 10 h after op_a2's Monday ends
    response = offer(org, tuesday, kind="give_away", counterpart=str(org.op_a2.pk))
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "swap_breaks_min_rest"
    assert body["extra"]["violations"][0]["rule"] == "min_rest"
    assert not ShiftSwap.objects.exists()


def test_swap_refused_beyond_max_days_per_week(org: Org, pub: Published) -> None:
    org.op_a2.max_days_per_week = 1
    org.op_a2.save()
    pub.shift(org.op_a2, 1)
    monday = pub.shift(org.op_a1, 0)
    response = offer(org, monday, kind="give_away", counterpart=str(org.op_a2.pk))
    assert response.json()["code"] == "swap_breaks_max_days_per_week"


def test_rules_are_checked_again_at_approval(org: Org, pub: Published) -> None:
    monday = pub.shift(org.op_a1, 0, 8)
    swap_id = offer(org, monday, kind="give_away", counterpart=str(org.op_a2.pk)).json()["id"]
    post(org.op_a2.user, f"swaps/{swap_id}/accept")
    # Meanwhile op_a2's contract changes: a day a week at most, and they already work one.
    org.op_a2.max_days_per_week = 1
    org.op_a2.save()
    draft = roster_revise(roster=pub.roster, user=org.manager_a)
    pub.shift(org.op_a2, 2, roster=draft)
    client_for(org.manager_a).post(f"/api/v1/rosters/{draft.pk}/publish")
    response = post(org.manager_a, f"swaps/{swap_id}/approve")
    assert response.status_code == 409
    assert response.json()["code"] == "swap_breaks_max_days_per_week"
    assert ShiftSwap.objects.get(pk=swap_id).status == "accepted"


def test_equal_paid_time_policy(org: Org, pub: Published) -> None:
    RequestPolicy.objects.create(team=org.team_a, equal_paid_time=True)
    monday = pub.shift(org.op_a1, 0)
    short = pub.shift(org.op_a2, 1, hours=6)
    pub.late.lengths_minutes = [480, 360]
    pub.late.save()
    pub.setup.template.lengths_minutes = [480, 360]
    pub.setup.template.save()
    response = offer(org, monday, kind="swap", counterpart_shift=str(short.pk))
    assert response.json()["code"] == "swap_unequal_paid_time"
    assert response.json()["extra"]["paid_minutes"] == [330, 450]


def test_manager_draft_keeps_the_swap_and_stays_the_newest_version(
    org: Org, pub: Published
) -> None:
    """Swap-then-publish (R3.4): an open draft revision gets the swap too, so publishing it
    later does not undo it."""
    monday, tuesday = pub.shift(org.op_a1, 0), pub.shift(org.op_a2, 1)
    draft = roster_revise(roster=pub.roster, user=org.manager_a)
    swap_id = offer(org, monday, kind="swap", counterpart_shift=str(tuesday.pk)).json()["id"]
    post(org.op_a2.user, f"swaps/{swap_id}/accept")
    applied = post(org.manager_a, f"swaps/{swap_id}/approve").json()
    draft.refresh_from_db()
    assert draft.status == Roster.Status.DRAFT
    assert draft.version == applied["applied_roster_version"] + 1
    assert draft.shifts.get(origin=monday.pk).employee_id == org.op_a2.pk
    published = client_for(org.manager_a).post(f"/api/v1/rosters/{draft.pk}/publish")
    assert published.status_code == 200, published.json()
    assert current(monday).employee_id == org.op_a2.pk


def test_swapping_an_already_swapped_shift_is_refused(org: Org, pub: Published) -> None:
    monday = pub.shift(org.op_a1, 0)
    swap_id = offer(org, monday, kind="give_away", counterpart=str(org.op_a2.pk)).json()["id"]
    post(org.op_a2.user, f"swaps/{swap_id}/accept")
    post(org.manager_a, f"swaps/{swap_id}/approve")
    for user in (org.op_a1.user, org.op_a2.user):
        again = post(user, "swaps", {"shift": str(monday.pk), "kind": "open"})
        assert (again.status_code, again.json()["code"]) == (409, "swap_shift_changed")


def test_two_asks_for_one_shift_only_one_accepted_and_the_other_cancelled(
    org: Org, pub: Published
) -> None:
    """Colleagues may both ask op_a2 for their Tuesday; op_a2 accepts one, the other can no
    longer be accepted, and is cancelled when the trade is approved."""
    tuesday = pub.shift(org.op_a2, 1)
    third = pub.setup.people[-1]
    asks = [
        post(
            person.user,
            "swaps",
            {"shift": str(shift.pk), "kind": "swap", "counterpart_shift": str(tuesday.pk)},
        ).json()["id"]
        for person, shift in ((org.op_a1, pub.shift(org.op_a1, 0)), (third, pub.shift(third, 2)))
    ]
    assert post(org.op_a2.user, f"swaps/{asks[0]}/accept").json()["status"] == "accepted"
    second = post(org.op_a2.user, f"swaps/{asks[1]}/accept")
    assert (second.status_code, second.json()["code"]) == (409, "shift_already_offered")
    post(org.manager_a, f"swaps/{asks[0]}/approve")
    assert ShiftSwap.objects.get(pk=asks[1]).status == "cancelled"
    assert current(tuesday).employee_id == org.op_a1.pk


@pytest.mark.parametrize(
    ("case", "code", "http"),
    [
        ("past", "swap_shift_in_past", 409),
        ("notice", "swap_notice_too_short", 409),
        ("other_team", "swap_other_team", 400),
        ("not_mine", "swap_not_your_shift", 403),
        ("draft", "swap_shift_not_published", 409),
        ("twice", "shift_already_offered", 409),
        ("with_myself", "swap_own_offer", 400),
        ("unknown_field", "invalid_input", 400),
    ],
)
def test_bad_requests_are_refused_with_a_code_and_nothing_written(
    org: Org, pub: Published, case: str, code: str, http: int
) -> None:
    now = timezone.now()
    monday = pub.shift(org.op_a1, 0)
    body: dict[str, Any] = {"kind": "open"}
    shift = monday
    if case == "past":
        shift.start, shift.end = now - timedelta(hours=2), now + timedelta(hours=6)
        shift.save()
    elif case == "notice":
        shift.start, shift.end = now + timedelta(hours=3), now + timedelta(hours=11)
        shift.save()
    elif case == "other_team":
        outsider = employee_make(team=org.team_a.site.teams.create(name="Other"))
        body = {"kind": "give_away", "counterpart": str(outsider.pk)}
    elif case == "not_mine":
        shift = pub.shift(org.op_a2, 1)
    elif case == "draft":
        draft = roster_revise(roster=pub.roster, user=org.manager_a)
        shift = draft.shifts.get()
    elif case == "twice":
        assert offer(org, monday, kind="open").status_code == 201
    elif case == "with_myself":
        body = {"kind": "give_away", "counterpart": str(org.op_a1.pk)}
    elif case == "unknown_field":
        body = {"kind": "open", "status": "approved"}
    before = ShiftSwap.objects.count()
    response = offer(org, shift, **body)
    assert (response.status_code, response.json()["code"]) == (http, code)
    assert ShiftSwap.objects.count() == before


def test_accepting_ones_own_offer_and_an_expired_one(org: Org, pub: Published) -> None:
    monday = pub.shift(org.op_a1, 0)
    swap_id = offer(org, monday, kind="open").json()["id"]
    assert post(org.op_a1.user, f"swaps/{swap_id}/accept").json()["code"] == "swap_own_offer"
    ShiftSwap.objects.filter(pk=swap_id).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert post(org.op_a2.user, f"swaps/{swap_id}/accept").json()["code"] == "swap_expired"
    assert ShiftSwap.objects.get(pk=swap_id).status == "pending"
    assert swaps_expire() == 1
    assert ShiftSwap.objects.get(pk=swap_id).status == "expired"
    assert post(org.op_a2.user, f"swaps/{swap_id}/accept").json()["code"] == "swap_wrong_state"
    assert client_for(org.op_a2.user).get("/api/v1/open-shifts").json()["results"] == []


def test_cancel_and_decline(org: Org, pub: Published) -> None:
    monday, tuesday = pub.shift(org.op_a1, 0), pub.shift(org.op_a2, 1)
    first = offer(org, monday, kind="swap", counterpart_shift=str(tuesday.pk)).json()["id"]
    assert post(org.op_a2.user, f"swaps/{first}/cancel").json()["code"] == "swap_not_your_shift"
    assert post(org.op_a2.user, f"swaps/{first}/decline").json()["status"] == "rejected"
    second = offer(org, monday, kind="swap", counterpart_shift=str(tuesday.pk)).json()["id"]
    assert post(org.op_a1.user, f"swaps/{second}/cancel").json()["status"] == "cancelled"
    assert post(org.op_a2.user, f"swaps/{second}/accept").json()["code"] == "swap_wrong_state"


def test_operators_cannot_decide_and_managers_not_their_own_or_other_teams(
    org: Org, pub: Published
) -> None:
    monday = pub.shift(org.op_a1, 0)
    swap_id = offer(org, monday, kind="give_away", counterpart=str(org.op_a2.pk)).json()["id"]
    post(org.op_a2.user, f"swaps/{swap_id}/accept")
    for action in ("approve", "reject"):
        assert post(org.op_a1.user, f"swaps/{swap_id}/{action}").status_code == 403
        assert post(org.op_a2.user, f"swaps/{swap_id}/{action}").status_code == 403
        assert post(org.manager_b, f"swaps/{swap_id}/{action}").status_code == 404
    assert client_for(org.manager_b).get(f"/api/v1/swaps/{swap_id}").status_code == 404
    assert client_for(org.manager_b).get("/api/v1/swaps").json()["results"] == []
    outsider = pub.setup.people[-1]
    assert client_for(outsider.user).get(f"/api/v1/swaps/{swap_id}").status_code == 404
    # A manager who is also the requester's counterpart cannot approve it.
    org.op_a2.user.groups.add(role_group(Role.MANAGER))
    org.team_a.managers.add(org.op_a2.user)
    as_manager = get_user_model().objects.get(pk=org.op_a2.user.pk)  # roles are cached
    response = post(as_manager, f"swaps/{swap_id}/approve")
    assert (response.status_code, response.json()["code"]) == (403, "swap_party_cannot_decide")
    assert ShiftSwap.objects.get(pk=swap_id).status == "accepted"


def test_an_operator_cannot_flood_requests(org: Org, pub: Published) -> None:
    shifts = [pub.shift(org.op_a1, day) for day in range(5)]
    for shift in shifts[:5]:
        assert offer(org, shift, kind="open").status_code == 201
    sixth = offer(org, pub.shift(org.op_a1, 5, 10), kind="open")
    assert (sixth.status_code, sixth.json()["code"]) == (409, "too_many_open_requests")


def test_accepting_too_many_swaps_an_hour_is_rate_limited(org: Org, pub: Published) -> None:
    RequestPolicy.objects.create(team=org.team_a, max_accepts_per_hour=2)
    third = pub.setup.people[-1]
    for day, owner in ((0, org.op_a1), (1, third), (2, org.op_a1)):
        shift = pub.shift(owner, day)
        swap_id = post(owner.user, "swaps", {"shift": str(shift.pk), "kind": "open"}).json()["id"]
        response = post(org.op_a2.user, f"swaps/{swap_id}/accept")
    assert response.status_code == 429
    assert response.json()["code"] == "too_many_accepts"
    assert 0 < int(response["Retry-After"]) <= 3600


def test_policy_waives_voluntary_overtime_and_working_less_and_audits_it(
    org: Org, pub: Published
) -> None:
    """A pick-up past the taker's weekly maximum, or leaving the giver below their minimum,
    is refused by default and allowed within the team's policy, which the audit records."""
    org.op_a1.min_weekly_minutes = 450
    org.op_a1.save()
    org.op_a2.max_weekly_minutes = 450
    org.op_a2.save()
    pub.shift(org.op_a2, 1)  # op_a2 already works their 450 minutes
    monday = pub.shift(org.op_a1, 0)  # and op_a1 works only their minimum
    swap_id = offer(org, monday, kind="open").json()["id"]
    refused = post(org.op_a2.user, f"swaps/{swap_id}/accept").json()
    rules = {v["rule"] for v in refused["extra"]["violations"]}
    assert rules == {"min_minutes_per_week", "max_minutes_per_week"}

    RequestPolicy.objects.create(
        team=org.team_a, trade_overtime_minutes=449, voluntary_below_minimum=True
    )
    short = post(org.op_a2.user, f"swaps/{swap_id}/accept").json()
    assert short["code"] == "swap_breaks_max_minutes_per_week", "449 minutes are not enough"
    RequestPolicy.objects.filter(team=org.team_a).update(trade_overtime_minutes=450)
    assert post(org.op_a2.user, f"swaps/{swap_id}/accept").json()["status"] == "accepted"
    approved = post(org.manager_a, f"swaps/{swap_id}/approve").json()
    change = RosterChange.objects.get(roster_id=approved["applied_roster"], action="swapped")
    assert {v["rule"] for v in change.violations} == rules


def test_team_policy_read_by_the_team_and_changed_only_by_its_managers(org: Org) -> None:
    url = f"/api/v1/teams/{org.team_a.pk}/request-policy"
    assert client_for(org.op_a1.user).get(url).json()["max_open_requests"] == 5
    assert client_for(org.op_a1.user).patch(url, {"auto_approve_swaps": True}).status_code == 403
    assert client_for(org.manager_b).get(url).status_code == 404
    changed = client_for(org.manager_a).patch(
        url, {"auto_approve_swaps": True, "time_off_max_per_day": 3}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    assert RequestPolicy.objects.get(team=org.team_a).time_off_max_per_day == 3
    bad = client_for(org.manager_a).patch(url, {"release_min_cover_ratio": "1.5"}, format="json")
    assert (bad.status_code, bad.json()["code"]) == (400, "invalid_input")
    unknown = client_for(org.manager_a).patch(url, {"team": str(org.team_b.pk)}, format="json")
    assert unknown.json()["extra"]["fields"]["team"][0]["code"] == "unknown_field"
    assert RequestPolicy.objects.get(team=org.team_a).release_min_cover_ratio == 1


def test_request_lists_take_a_fixed_number_of_queries(org: Org, pub: Published) -> None:
    def count(user: Any, url: str) -> int:
        fresh = get_user_model().objects.get(pk=user.pk)  # nothing cached on the user
        with CaptureQueriesContext(connection) as queries:
            assert client_for(fresh).get(url).status_code == 200
        return len(queries)

    offer(org, pub.shift(org.op_a1, 0), kind="open")
    one = [count(org.manager_a, "/api/v1/swaps"), count(org.op_a2.user, "/api/v1/open-shifts")]
    for day in range(1, 5):
        offer(org, pub.shift(org.op_a1, day), kind="open")
    five = [count(org.manager_a, "/api/v1/swaps"), count(org.op_a2.user, "/api/v1/open-shifts")]
    assert five == one
