"""Requests under real concurrency on PostgreSQL (R3.2, R3.4): two managers approving one
swap, an approval racing the requester's cancel, two acceptances of asks for one shift, a
swap racing a publication, and time-off approvals racing for a day's last places."""

import os
from collections import Counter
from datetime import timedelta
from typing import Any

import pytest
from django.db.models import Q
from django.utils import timezone

from scheduling.errors import ShiftAlreadyOffered, SwapWrongState
from scheduling.models import (
    RequestPolicy,
    Roster,
    RosterChange,
    Shift,
    ShiftSwap,
    SwapEvent,
    TimeOffRequest,
)
from scheduling.selectors.roster_diffs import shifts_content_sha256
from scheduling.services import swaps, time_off
from scheduling.services.roster_publish import roster_publish
from scheduling.services.roster_versions import roster_revise
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.requests import Published, published_make
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

# R3.2 asks for 200 of each; WFM_RACE_ITERATIONS lowers it for a quick local run.
ITERATIONS = int(os.environ.get("WFM_RACE_ITERATIONS", "200"))
TERMINAL = {"approved", "rejected", "cancelled", "expired"}


@pytest.fixture
def pub(org: Org) -> Published:
    # Hundreds of acceptances in a minute: lift the hourly limit these races are not about.
    RequestPolicy.objects.create(team=org.team_a, max_accepts_per_hour=10_000)
    return published_make(team=org.team_a, people=[org.op_a1, org.op_a2])


def current(key: Any) -> Shift:
    """The published copy of the shift with this stable key."""
    return Shift.objects.get(
        Q(origin=key) | Q(pk=key, origin__isnull=True), state=Roster.Status.PUBLISHED
    )


def give_away(owner: Any, taker: Any, shift: Shift) -> ShiftSwap:
    """A give-away of `shift` (its current copy) from owner to taker, accepted."""
    ask = swaps.SwapAsk(kind="give_away", shift=shift, counterpart=taker)
    swap = swaps.swap_request(requester=owner, ask=ask, user=owner.user)
    return swaps.swap_accept(swap=swap, employee=taker, user=taker.user)


def terminal_events(swap: ShiftSwap) -> list[str]:
    return list(
        SwapEvent.objects.filter(swap=swap, to_status__in=TERMINAL).values_list(
            "to_status", flat=True
        )
    )


def test_two_managers_approving_one_swap_give_one_approval(org: Org, pub: Published) -> None:
    first = pub.shift(org.op_a1, 0)
    key = first.pk
    people = [org.op_a1, org.op_a2]
    outcomes: Counter[str] = Counter()
    for i in range(ITERATIONS):
        owner, taker = people[i % 2], people[(i + 1) % 2]
        swap = give_away(owner, taker, current(key))
        results = race(
            lambda s=swap: swaps.swap_approve(swap=s, approver=org.manager_a),
            lambda s=swap: swaps.swap_approve(swap=s, approver=org.admin),
        )
        wins = [r for r in results if isinstance(r, ShiftSwap)]
        losses = [r for r in results if isinstance(r, SwapWrongState)]
        assert (len(wins), len(losses)) == (1, 1), results
        assert terminal_events(swap) == ["approved"]
        assert current(key).employee_id == taker.pk
        outcomes["approved"] += 1
    published = Roster.objects.filter(scope_key=pub.roster.scope_key, status="published")
    assert published.count() == 1
    assert published.get().version == ITERATIONS + 1, "one new version per approval"
    assert outcomes["approved"] == ITERATIONS


def test_approval_racing_the_requesters_cancel_has_one_outcome(org: Org, pub: Published) -> None:
    key = pub.shift(org.op_a1, 0).pk
    seen: Counter[str] = Counter()
    for _ in range(ITERATIONS):
        owner = current(key).employee
        taker = org.op_a2 if owner.pk == org.op_a1.pk else org.op_a1
        swap = give_away(owner, taker, current(key))
        results = race(
            lambda s=swap: swaps.swap_approve(swap=s, approver=org.manager_a),
            lambda s=swap, o=owner: swaps.swap_cancel(swap=s, employee=o, user=o.user),
        )
        assert sum(isinstance(r, ShiftSwap) for r in results) == 1, results
        assert sum(isinstance(r, SwapWrongState) for r in results) == 1, results
        final = ShiftSwap.objects.get(pk=swap.pk).status
        assert terminal_events(swap) == [final]
        expected_owner = taker if final == "approved" else owner
        assert current(key).employee_id == expected_owner.pk
        seen[final] += 1
    assert sum(seen.values()) == ITERATIONS


def test_two_acceptances_of_asks_for_one_shift_give_one_trade(org: Org, pub: Published) -> None:
    third = pub.setup.people[-1]
    wanted = pub.shift(org.op_a2, 1)
    pub.shift(org.op_a1, 0)
    pub.shift(third, 2)  # three people, one shift each, whoever holds which
    trades = 0
    for _ in range(ITERATIONS):
        owner = current(wanted.pk).employee
        askers = [e for e in (org.op_a1, org.op_a2, third) if e.pk != owner.pk]
        asks = []
        for asker in askers:
            mine = next(
                s
                for s in Shift.objects.filter(state="published", employee=asker)
                if (s.origin or s.pk) != wanted.pk
            )
            ask = swaps.SwapAsk(kind="swap", shift=mine, counterpart_shift=current(wanted.pk))
            asks.append(swaps.swap_request(requester=asker, ask=ask, user=asker.user))
        results = race(
            *(lambda s=s, o=owner: swaps.swap_accept(swap=s, employee=o, user=o.user) for s in asks)
        )
        accepted = [r for r in results if isinstance(r, ShiftSwap)]
        assert len(accepted) == 1, results
        assert [type(r) for r in results if r not in accepted] == [ShiftAlreadyOffered]
        approvals = race(
            *(lambda s=s: swaps.swap_approve(swap=s, approver=org.manager_a) for s in asks)
        )
        assert sum(isinstance(r, ShiftSwap) for r in approvals) == 1, approvals
        statuses = sorted(
            ShiftSwap.objects.filter(pk__in=[s.pk for s in asks]).values_list("status", flat=True)
        )
        assert statuses == ["approved", "cancelled"]
        trades += 1
    assert trades == ITERATIONS


def test_a_swap_racing_a_publication_is_never_lost(org: Org, pub: Published) -> None:
    """R3.4: publish a draft revision while a swap on the same roster is approved. Either
    order is fine; the swap is in the final published version, and no published version's
    content ever changes."""
    key = pub.shift(org.op_a1, 0).pk
    pub.shift(org.op_a2, 1)
    orders: Counter[str] = Counter()
    for i in range(max(20, ITERATIONS // 10)):
        owner = current(key).employee
        taker = org.op_a2 if owner.pk == org.op_a1.pk else org.op_a1
        swap = give_away(owner, taker, current(key))
        published = Roster.objects.get(scope_key=pub.roster.scope_key, status="published")
        draft = roster_revise(roster=published, user=org.manager_a)
        Shift.objects.filter(
            roster=draft, employee=org.op_a2, local_date=pub.start + timedelta(days=1)
        ).update(note=f"edit {i}")
        results = race(
            lambda d=draft: roster_publish(roster=d, user=org.manager_a),
            lambda s=swap: swaps.swap_approve(swap=s, approver=org.manager_a),
        )
        publication, approval = results
        assert not isinstance(publication, Exception), publication
        assert isinstance(approval, ShiftSwap), f"the swap was lost: {approval!r}"
        # Which went first: the swap's version is newer than the publication's, or older.
        orders[
            "swap_last"
            if approval.applied_roster.version > publication.roster.version
            else "publish_last"
        ] += 1
        assert current(key).employee_id == taker.pk, "the swap is in the published version"
    for roster in Roster.objects.filter(scope_key=pub.roster.scope_key).exclude(content_sha256=""):
        assert shifts_content_sha256(roster.shifts.all()) == roster.content_sha256, roster
    assert (
        RosterChange.objects.filter(action="published").count()
        == Roster.objects.filter(scope_key=pub.roster.scope_key).exclude(published_at=None).count()
    )
    assert sum(orders.values()) >= 20


def test_time_off_approvals_racing_for_a_days_last_places(org: Org) -> None:
    RequestPolicy.objects.create(team=org.team_a, time_off_max_per_day=3)
    day = timezone.now().date() + timedelta(days=14)
    people = [employee_make(team=org.team_a) for _ in range(10)]
    requests = [
        time_off.time_off_request(employee=p, first_day=day, last_day=day, reason="", user=p.user)
        for p in people
    ]
    results = race(
        *(
            lambda r=r: time_off.time_off_approve(request=r, approver=org.manager_a)
            for r in requests
        )
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    statuses = Counter(TimeOffRequest.objects.values_list("status", flat=True))
    assert statuses == {"approved": 3, "waitlisted": 7}
