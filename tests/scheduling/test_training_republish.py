"""A revised roster's mentor pairing is derived again at publication, not copied (issue 24
review): after a VTO a mentor who left at 14:00 no longer sits beside a trainee until the end
of the shift; another mentor with room takes over, and where none has, the VTO is refused."""

from datetime import date

import pytest

from organisation.models import Proficiency
from organisation.services.proficiency import proficiency_set
from scheduling.errors import OfferLeavesTraineeAlone
from scheduling.models import MentorPairing, Roster
from scheduling.services.intraday_offers import offer_accept, offer_create
from tests.conftest import Org
from tests.factories import employee_make
from tests.factories.intraday import local, published_day

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 4)
TZ = "Europe/Amsterdam"


def _scene(org: Org, mentors: int):
    """op_a1 (a mentor), op_a2 (a mentor when `mentors` is 2, else proficient) and a trainee
    work the queue 08:00-16:00 with a lunch at 12:00; the published pairing has the trainee
    beside op_a1 all day."""
    trainee = employee_make(team=org.team_a, username="trainee")
    queue, roster, _ = published_day(
        team=org.team_a, people=[org.op_a1, org.op_a2, trainee], day=DAY, name="Retail",
        hour=8, lunch=12,
    )  # fmt: skip
    levels = [(org.op_a1, Proficiency.MENTOR), (trainee, Proficiency.TRAINEE)]
    if mentors == 2:
        levels.append((org.op_a2, Proficiency.MENTOR))
    for person, level in levels:
        proficiency_set(
            employee=person, queue=queue, level=level, reached_on=date(2026, 1, 1), by=None
        )
    for start, end in ((8, 12), (12.5, 16)):
        MentorPairing.objects.create(
            roster=roster,
            trainee=trainee,
            mentor=org.op_a1,
            queue=queue,
            start=local(DAY, int(start), int(start % 1 * 60), TZ),
            end=local(DAY, end, 0, TZ),
        )
    offer = offer_create(
        kind="vto",
        queue=queue,
        team=org.team_a,
        start=local(DAY, 14, 0, TZ),
        end=local(DAY, 16, 0, TZ),
        slots=1,
        expires_at=local(DAY, 13, 50, TZ),
        user=org.manager_a,
        now=local(DAY, 13, 10, TZ),
    )
    return trainee, roster, offer


def _spans(roster: Roster) -> list[tuple[str, str, str]]:
    return [
        (p.mentor.user.username, f"{p.start.astimezone(local(DAY, 0, 0, TZ).tzinfo):%H:%M}",
         f"{p.end.astimezone(local(DAY, 0, 0, TZ).tzinfo):%H:%M}")
        for p in roster.pairings.select_related("mentor__user").order_by("start")
    ]  # fmt: skip


def test_a_mentor_who_takes_vto_hands_the_trainee_to_a_mentor_with_room(org: Org) -> None:
    _, roster, offer = _scene(org, mentors=2)
    taken = offer_accept(
        offer=offer, employee=org.op_a1, user=org.op_a1.user, now=local(DAY, 13, 10, TZ)
    )
    new = taken.roster
    assert new.version == 2
    # Kept beside op_a1 until she leaves at 14:00; op_a2 from then (copied: op_a1 until 16:00).
    assert _spans(new) == [
        ("op_a1", "08:00", "12:00"),
        ("op_a1", "12:30", "14:00"),
        ("op_a2", "14:00", "16:00"),
    ]
    assert not [
        s for s in new.solver.get("training_shortfalls", [])
        if s["rule"] == "trainee_without_mentor"
    ]  # fmt: skip
    assert _spans(roster) == [("op_a1", "08:00", "12:00"), ("op_a1", "12:30", "16:00")]


def test_a_vto_that_leaves_a_trainee_without_a_mentor_is_refused(org: Org) -> None:
    trainee, roster, offer = _scene(org, mentors=1)
    with pytest.raises(OfferLeavesTraineeAlone) as refused:
        offer_accept(
            offer=offer, employee=org.op_a1, user=org.op_a1.user, now=local(DAY, 13, 10, TZ)
        )
    assert refused.value.extra["trainees"] == [str(trainee.pk)]
    assert Roster.objects.get(status=Roster.Status.PUBLISHED).pk == roster.pk  # nothing written
    assert Roster.objects.count() == 1
    # The proficient operator may still take it: the trainee keeps the mentor.
    offer_accept(offer=offer, employee=org.op_a2, user=org.op_a2.user, now=local(DAY, 13, 10, TZ))
    published = Roster.objects.get(status=Roster.Status.PUBLISHED)
    assert _spans(published) == [("op_a1", "08:00", "12:00"), ("op_a1", "12:30", "16:00")]


def test_a_revision_that_leaves_a_trainee_alone_records_an_explained_shortfall(
    org: Org,
) -> None:
    """A change published without the offer's check (a manager's edit, say): the pairing
    rows stop where the mentor leaves and the trainee's time alone is kept, explained."""
    from scheduling.services.roster_pairings import roster_pairings_redo

    trainee, roster, _ = _scene(org, mentors=1)
    shift = roster.shifts.get(employee=org.op_a1)
    shift.end = local(DAY, 15, 0, TZ)
    shift.save(update_fields=["end"])
    short = roster_pairings_redo(roster=roster, now=local(DAY, 7, 0, TZ))
    assert _spans(roster) == [("op_a1", "08:00", "12:00"), ("op_a1", "12:30", "15:00")]
    (alone,) = short
    minutes = roster.interval_minutes
    assert (alone.rule, alone.employee, len(alone.intervals)) == (
        "trainee_without_mentor",
        str(trainee.pk),
        60 // minutes,
    )
    roster.refresh_from_db()
    (stored,) = roster.solver["training_shortfalls"]
    assert stored["rule"] == "trainee_without_mentor"
    assert stored["name"] == trainee.full_name
    # Stored as a sentence (code and values, names not ids) for the reader's language.
    assert stored["reason"] == {
        "code": "trainee_without_mentor",
        "values": {"name": trainee.full_name, "queue": "Retail", "count": 60 // minutes},
    }
