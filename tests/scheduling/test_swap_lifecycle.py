"""The swap lifecycle as a Hypothesis state machine: random requests, acceptances, declines,
cancellations, approvals and rejections by the right and the wrong people. Whatever the
sequence, a refused step changes nothing, the published roster holds exactly the trades that
were approved, no shift is offered twice or promised twice, and every request's history is a
legal path with at most one ending."""

from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from organisation.errors import DomainError
from organisation.roles import Role
from scheduling.models import RequestPolicy, Roster, Shift, ShiftSwap, SwapEvent
from scheduling.services import swaps
from scheduling.services.swap_checks import stable_key
from tests.factories import employee_make, team_make, user_make
from tests.factories.requests import published_make

pytestmark = pytest.mark.django_db

NEXT = {"": {"pending"}, "pending": {"accepted", "rejected", "cancelled", "expired"}}
NEXT["accepted"] = {"approved", "rejected", "cancelled", "expired"}
KINDS = ("swap", "give_away", "open")


class SwapLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        manager = user_make(role=Role.MANAGER)
        self.team = team_make(managers=[manager])
        self.manager = manager
        people = [employee_make(team=self.team) for _ in range(3)]
        self.pub = published_make(team=self.team, people=people, extra=0)
        self.people = self.pub.setup.people
        RequestPolicy.objects.create(
            team=self.team,
            max_accepts_per_hour=10_000,
            max_open_requests=50,
            trade_overtime_minutes=10_000,
            trade_extra_days=7,
            voluntary_below_minimum=True,
        )
        self.keys = []
        for i, person in enumerate(self.people):
            for day in (i, i + 3):
                self.keys.append(self.pub.shift(person, day).pk)
        self.owner = {key: self._published(key).employee_id for key in self.keys}

    def _published(self, key: Any) -> Shift:
        return next(
            s for s in Shift.objects.filter(state=Roster.Status.PUBLISHED) if stable_key(s) == key
        )

    def _snapshot(self) -> tuple[Any, ...]:
        return (
            tuple(ShiftSwap.objects.order_by("pk").values_list("pk", "status", "counterpart")),
            SwapEvent.objects.count(),
            Roster.objects.count(),
        )

    def _attempt(self, work: Any) -> Any:
        """Run a step; a refusal must leave everything as it was."""
        before = self._snapshot()
        try:
            return work()
        except DomainError:
            assert self._snapshot() == before, "a refused step changed something"
            return None

    def _swap(self, index: int) -> ShiftSwap | None:
        rows = list(ShiftSwap.objects.filter(team=self.team).order_by("created_at", "pk"))
        return rows[index % len(rows)] if rows else None

    def _index(self, employee_id: Any) -> int:
        return next(i for i, p in enumerate(self.people) if p.pk == employee_id)

    @rule(
        shift=st.integers(0, 5),
        kind=st.sampled_from(KINDS),
        other=st.integers(0, 5),
        colleague=st.integers(1, 2),
        impostor=st.booleans(),
    )
    def request(self, shift: int, kind: str, other: int, colleague: int, impostor: bool) -> None:
        """Mostly the owner asks; now and then someone else tries to offer the shift."""
        key = self.keys[shift % len(self.keys)]
        owner = self._index(self.owner[key])
        requester = self.people[(owner + colleague) % 3 if impostor else owner]
        theirs = [k for k in self.keys if self.owner[k] != requester.pk]
        ask = swaps.SwapAsk(
            kind=kind,
            shift=self._published(key),
            counterpart=self.people[(owner + colleague) % 3] if kind == "give_away" else None,
            counterpart_shift=(
                self._published(theirs[other % len(theirs)]) if kind == "swap" and theirs else None
            ),
        )
        self._attempt(lambda: swaps.swap_request(requester=requester, ask=ask, user=requester.user))

    @rule(shift=st.integers(0, 5), colleague=st.integers(1, 2), kind=st.sampled_from(KINDS[1:]))
    def give_and_approve(self, shift: int, colleague: int, kind: str) -> None:
        """The common path in one step: the owner gives a shift away (named or on the board),
        a colleague accepts, the manager approves."""
        key = self.keys[shift % len(self.keys)]
        owner = self.people[self._index(self.owner[key])]
        taker = self.people[(self._index(owner.pk) + colleague) % 3]
        ask = swaps.SwapAsk(
            kind=kind, shift=self._published(key), counterpart=taker if kind != "open" else None
        )
        swap = self._attempt(lambda: swaps.swap_request(requester=owner, ask=ask, user=owner.user))
        if swap is not None and self._attempt(
            lambda: swaps.swap_accept(swap=swap, employee=taker, user=taker.user)
        ):
            self.decide_on(swap)

    @rule(index=st.integers(0, 50), stranger=st.booleans(), who=st.integers(0, 2))
    def accept(self, index: int, stranger: bool, who: int) -> None:
        """The counterpart (or a colleague, on the board) accepts; or a stranger tries to."""
        pending = list(ShiftSwap.objects.filter(team=self.team, status="pending").order_by("pk"))
        swap = pending[index % len(pending)] if pending else self._swap(index)
        if swap is None:
            return
        if swap.counterpart_id is None:  # an open post: anyone but the requester, mostly
            requester = self._index(swap.requester_id)
            person = self.people[who if stranger else (requester + 1 + who % 2) % 3]
        elif stranger:
            person = self.people[who]
        else:
            person = self.people[self._index(swap.counterpart_id)]
        self._attempt(lambda: swaps.swap_accept(swap=swap, employee=person, user=person.user))

    @rule(index=st.integers(0, 50), who=st.integers(0, 2), cancel=st.booleans())
    def withdraw(self, index: int, who: int, cancel: bool) -> None:
        swap = self._swap(index)
        person = self.people[who]
        action = swaps.swap_cancel if cancel else swaps.swap_decline
        if swap is not None:
            self._attempt(lambda: action(swap=swap, employee=person, user=person.user))

    @rule(index=st.integers(0, 50), approve=st.booleans())
    def decide(self, index: int, approve: bool) -> None:
        accepted = list(ShiftSwap.objects.filter(team=self.team, status="accepted").order_by("pk"))
        swap = accepted[index % len(accepted)] if accepted else self._swap(index)
        if swap is None:
            return
        if not approve:
            self._attempt(
                lambda: swaps.swap_reject(swap=swap, approver=self.manager, reason="not now")
            )
            return
        self.decide_on(swap)

    def decide_on(self, swap: ShiftSwap) -> None:
        done = self._attempt(lambda: swaps.swap_approve(swap=swap, approver=self.manager))
        if done is not None:
            if done.released:
                del self.owner[done.shift_key]
                self.keys.remove(done.shift_key)
                return
            self.owner[done.shift_key] = done.counterpart_id
            if done.counterpart_shift_key is not None:
                self.owner[done.counterpart_shift_key] = done.requester_id

    @invariant()
    def published_roster_holds_exactly_the_approved_trades(self) -> None:
        series = Roster.objects.filter(scope_key=self.pub.roster.scope_key)
        published = series.get(status=Roster.Status.PUBLISHED)
        owners = {stable_key(s): s.employee_id for s in published.shifts.all()}
        assert owners == self.owner

    @invariant()
    def no_shift_offered_or_promised_twice(self) -> None:
        active = ShiftSwap.objects.filter(team=self.team, status__in=ShiftSwap.ACTIVE)
        offered = list(active.values_list("shift_key", flat=True))
        promised = list(
            active.filter(status="accepted")
            .exclude(counterpart_shift_key=None)
            .values_list("counterpart_shift_key", flat=True)
        )
        assert len(offered) == len(set(offered))
        assert len(promised) == len(set(promised))
        assert not set(offered) & set(promised)

    @invariant()
    def histories_are_legal_paths(self) -> None:
        for swap in ShiftSwap.objects.filter(team=self.team).prefetch_related("events"):
            state = ""
            for event in swap.events.all():
                if event.from_status == event.to_status:  # a note (auto-approval declined)
                    continue
                assert event.from_status == state
                assert event.to_status in NEXT.get(state, set()), (state, event.to_status)
                state = event.to_status
            assert state == swap.status


def test_swap_lifecycle_keeps_its_invariants(db: None) -> None:
    run_state_machine_as_test(
        SwapLifecycle,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            derandomize=True,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
