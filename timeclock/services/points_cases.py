"""Attendance-points cases (issue 25, item 5): a level reached (warning, final warning,
dismissal review) opens a case for the team's managers with the points events attached; a
manager records the decision and the day of the conversation. Nothing else is automatic."""

from datetime import date, datetime
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from organisation.audit import audit_record
from organisation.errors import InvalidInput
from organisation.local_grid import local_date
from organisation.models import Team
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from timeclock.errors import (
    PointsCaseConversationBeforeCase,
    PointsCaseConversationToCome,
    PointsCaseDecided,
)
from timeclock.models import PointsCase
from timeclock.selectors.points_cases import points_status_many

MAX_NOTE = 2000


def points_cases_open(
    *, team: Team, on: date | None = None, now: datetime | None = None
) -> list[PointsCase]:
    """Open a case for each member of the team whose points reached a level with no case
    of that level open, nor one opened within the current window. The team's managers are
    told. Running it again opens nothing more."""
    now = now or timezone.now()
    site = team.site
    on = on or local_date(instant=now, timezone=site.timezone)
    people = list(
        team.employees.select_related("user", "team__site").filter(
            Q(employment_end__isnull=True) | Q(employment_end__gte=on)
        )
    )
    opened = []
    for person_id, status in points_status_many(employees=people, site=site, on=on).items():
        if status.level == "none":
            continue
        person = next(p for p in people if str(p.pk) == person_id)
        case = _open_one(person, status, on, now)
        if case is not None:
            opened.append(case)
    return opened


def _open_one(person: Any, status: Any, on: date, now: datetime) -> PointsCase | None:
    known = PointsCase.objects.filter(employee=person, level=status.level).filter(
        Q(decision="") | Q(opened_on__gte=status.window_start)
    )
    if known.exists():
        return None
    events = [
        {"day": e.day.isoformat(), "kind": e.kind, "points": str(e.points)} for e in status.events
    ]
    try:
        with transaction.atomic():
            case = PointsCase.objects.create(
                employee=person,
                level=status.level,
                opened_on=on,
                opened_at=now,
                points=status.total,
                events=events,
            )
            _tell_managers(case)
            audit_record(
                action="points_case_opened",
                actor=None,
                object_type="points_case",
                object_id=str(case.pk),
                data={"employee": person.number, "level": case.level, "points": str(case.points)},
            )
    except IntegrityError:  # opened meanwhile by another run
        return None
    return case


def _tell_managers(case: PointsCase) -> None:
    person = case.employee
    name = person.full_name
    notice_many(
        recipients=person.team.managers.all(),
        event_key=f"points_case:{case.pk}",
        message=Message(
            subject=f"Attendance points: {name} reached {case.level.replace('_', ' ')}",
            body=(
                f"{name} has {case.points} attendance points. Talk with them and record your "
                "decision on the case (nothing is decided automatically)."
            ),
            sentence=Sentence.of("points_case_opened", name=name),
        ),
    )


@transaction.atomic
def points_case_decide(
    *,
    case: PointsCase,
    decision: str,
    conversation_on: date | None,
    note: str = "",
    by: AbstractBaseUser | None,
    now: datetime | None = None,
) -> PointsCase:
    """The manager's decision after the conversation: once. Refused (nothing written) for an
    unknown decision, no day or a day to come or before the case opened, 'other' with no
    note. Audited."""
    now = now or timezone.now()
    case = (
        PointsCase.objects.select_for_update()
        .select_related("employee__team__site")
        .get(pk=case.pk)
    )
    if case.decision:
        raise PointsCaseDecided(extra={"decision": case.decision})
    today = local_date(instant=now, timezone=case.employee.team.site.timezone)
    note = note.strip()[:MAX_NOTE]
    problems, refusal = _decision_problems(case, decision, conversation_on, note, today)
    if problems:
        raise refusal(" ".join(problems.values()), extra={"fields": sorted(problems)})
    case.decision = decision
    case.conversation_on = conversation_on
    case.note = note
    case.decided_by = by  # type: ignore[assignment]
    case.decided_at = now
    case.save(update_fields=["decision", "conversation_on", "note", "decided_by", "decided_at"])
    audit_record(
        action="points_case_decided",
        actor=by,
        object_type="points_case",
        object_id=str(case.pk),
        data={
            "employee": case.employee.number,
            "level": case.level,
            "decision": decision,
            "conversation_on": conversation_on.isoformat() if conversation_on else None,
        },
    )
    return case


def _decision_problems(
    case: PointsCase, decision: str, conversation_on: date | None, note: str, today: date
) -> tuple[dict[str, str], type[InvalidInput]]:
    """The problems by field, and the refusal to raise: a refused day of the conversation
    has a code of its own (the page's sentence by the field), anything else invalid_input."""
    problems = {}
    refusal: type[InvalidInput] = InvalidInput
    if decision not in PointsCase.Decision.values:
        problems["decision"] = "Choose a decision."
    if conversation_on is None:
        problems["conversation_on"] = "Give the day of the conversation."
    elif conversation_on > today:
        refusal = PointsCaseConversationToCome
        problems["conversation_on"] = refusal.default_message
    elif conversation_on < case.opened_on:
        refusal = PointsCaseConversationBeforeCase
        problems["conversation_on"] = refusal.default_message
    if decision == PointsCase.Decision.OTHER and not note:
        problems["note"] = "Say what was decided."
    return problems, refusal
