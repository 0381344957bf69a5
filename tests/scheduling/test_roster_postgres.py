"""PostgreSQL guarantees of rosters: no overlapping published shifts (R3.1), publishing twice
at once has one effect (R3.5), and saving a roster takes a fixed number of queries."""

import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from scheduling.errors import ShiftOverlap
from scheduling.models import Roster, RosterChange, RosterNotice, Shift
from scheduling.selectors.roster_problem import roster_problem_build
from scheduling.services.roster_builds import roster_save
from scheduling.services.roster_publish import roster_publish
from scheduling.solver.model import Assignment, Break, Solution, Status
from tests.conftest import Org
from tests.factories.rosters import roster_setup
from tests.races import race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("postgres")]

T0 = datetime(2030, 1, 7, 8, 0, tzinfo=UTC)


def _roster(org: Org, *, status: str, start_date: date = date(2030, 1, 7)) -> Roster:
    return Roster.objects.create(
        site=org.amsterdam,
        team=org.team_a,
        scope_key=f"team:{uuid.uuid4()}",
        start_date=start_date,
        days=7,
        version=1,
        status=status,
    )


def _shift(roster: Roster, employee: Any, start: datetime, hours: int = 8) -> Shift:
    return Shift(
        roster=roster,
        employee=employee,
        start=start,
        end=start + timedelta(hours=hours),
        local_date=start.date(),
        state=roster.status,
    )


def test_twenty_concurrent_overlapping_published_shifts_one_commits(org: Org) -> None:
    rosters = [_roster(org, status=Roster.Status.PUBLISHED) for _ in range(20)]

    def insert(i: int) -> str:
        # Each thread starts a little later: all overlap the first. No retry: the writers of one
        # person's published shifts take turns (migration 0005), so none is a deadlock victim.
        _shift(rosters[i], org.op_a1, T0 + timedelta(minutes=i)).save()
        return "ok"

    results = race(*(partial(insert, i) for i in range(20)))
    assert results.count("ok") == 1, results
    assert sum(isinstance(r, IntegrityError) for r in results) == 19, results
    assert Shift.objects.filter(employee=org.op_a1).count() == 1


def _advisory_lock_waiters() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
        return int(cursor.fetchone()[0])


def test_a_second_writer_of_ones_published_shifts_waits_for_the_first(org: Org) -> None:
    """Crossed writers: A holds 08:00 uncommitted while B writes 20:30 and A then 20:00. Without
    turns B's row would be in progress when A checks 20:00 (and, had B gone on to 08:30, a
    deadlock); with them B waits for A, and meets A's committed 20:00."""
    first, second = (_roster(org, status=Roster.Status.PUBLISHED) for _ in range(2))
    holding, release = threading.Event(), threading.Event()

    def writer_a() -> str:
        with transaction.atomic():
            _shift(first, org.op_a1, T0).save()
            holding.set()
            assert release.wait(timeout=60)
            _shift(first, org.op_a1, T0 + timedelta(hours=12)).save()
        return "ok"

    def writer_b() -> str:
        assert holding.wait(timeout=60)
        _shift(second, org.op_a1, T0 + timedelta(hours=12, minutes=30)).save()
        return "ok"

    def watcher() -> str:
        try:
            assert holding.wait(timeout=60)
            deadline = time.monotonic() + 60
            while _advisory_lock_waiters() == 0:  # B is queued behind A, not done
                assert time.monotonic() < deadline, "the second writer never waited"
                threading.Event().wait(0.01)
            draft = _roster(org, status=Roster.Status.DRAFT)
            _shift(draft, org.op_a1, T0).save()  # drafts don't wait
            return "ok"
        finally:
            release.set()

    results = race(writer_a, writer_b, watcher)
    assert results[2] == "ok", results
    assert results[0] == "ok", results
    assert isinstance(results[1], IntegrityError), results
    starts = Shift.objects.filter(roster=first).order_by("start").values_list("start", flat=True)
    assert list(starts) == [T0, T0 + timedelta(hours=12)]
    assert not Shift.objects.filter(roster=second).exists()


def test_adjacent_and_superseded_shifts_do_not_clash(org: Org) -> None:
    published = _roster(org, status=Roster.Status.PUBLISHED)
    _shift(published, org.op_a1, T0, hours=4).save()
    _shift(published, org.op_a1, T0 + timedelta(hours=4), hours=4).save()  # [08,12) [12,16)
    old = _roster(org, status=Roster.Status.SUPERSEDED)
    _shift(old, org.op_a1, T0 + timedelta(hours=1)).save()
    with pytest.raises(IntegrityError):
        _shift(published, org.op_a1, T0 + timedelta(hours=3), hours=2).save()


def test_overlap_inside_one_draft_is_refused_by_the_database(org: Org) -> None:
    draft = _roster(org, status=Roster.Status.DRAFT)
    _shift(draft, org.op_a1, T0).save()
    with pytest.raises(IntegrityError):
        _shift(draft, org.op_a1, T0 + timedelta(hours=7)).save()


def test_publishing_over_another_lines_published_shift_is_a_conflict(org: Org) -> None:
    other = _roster(org, status=Roster.Status.PUBLISHED, start_date=date(2030, 1, 1))
    _shift(other, org.op_a1, T0).save()
    draft = _roster(org, status=Roster.Status.DRAFT)
    _shift(draft, org.op_a1, T0 + timedelta(hours=2)).save()
    with pytest.raises(ShiftOverlap):
        roster_publish(roster=draft, user=org.manager_a)
    draft.refresh_from_db()
    assert draft.status == Roster.Status.DRAFT
    assert set(draft.shifts.values_list("state", flat=True)) == {"draft"}


def test_two_publishes_at_once_have_one_effect(org: Org) -> None:
    draft = _roster(org, status=Roster.Status.DRAFT)
    _shift(draft, org.op_a1, T0).save()
    _shift(draft, org.op_a2, T0).save()
    results = race(*[lambda: roster_publish(roster=draft, user=org.manager_a)] * 2)
    assert not any(isinstance(r, Exception) for r in results), results
    assert sorted(r.diff is None for r in results) == [False, True]
    assert RosterChange.objects.filter(roster=draft, action="published").count() == 1
    assert RosterNotice.objects.filter(roster=draft).count() == 2


def _solution(setup_days: int, people: list[str], template: str, queue: str) -> Solution:
    assignments = tuple(
        Assignment(
            employee=person,
            day=day,
            template=template,
            start_minute=day * 1440 + 9 * 60,
            length_minutes=480,
            breaks=(Break(day * 1440 + 13 * 60, 30, False),),
            queue=queue,
        )
        for person in people
        for day in range(setup_days)
    )
    return Solution(Status.FEASIBLE, assignments, 0.0, 0.0, {}, 0.0)


@pytest.mark.parametrize("days", [7, 28])
def test_saving_a_roster_takes_a_fixed_number_of_queries(org: Org, days: int) -> None:
    setup = roster_setup(team=org.team_a, people=[org.op_a1, org.op_a2], extra=8, days=days)
    built = roster_problem_build(
        site=org.amsterdam,
        team=org.team_a,
        first_day=setup.start,
        days=days,
        now=datetime.now(UTC),
    )
    template = next(iter(built.templates))
    solution = _solution(days, list(built.employees), template, str(setup.queue.pk))
    with CaptureQueriesContext(connection) as queries:
        roster = roster_save(built=built, solution=solution, job=None, base=None, user=None)
    assert roster.shifts.count() == 10 * days
    # Savepoint, series lock, version, roster, shifts, breaks, audit, release: whatever the size.
    assert len(queries) == 8, [q["sql"][:80] for q in queries]
