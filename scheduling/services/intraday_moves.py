"""Apply a rest-of-day move (issue 26, item 5): the break of a published shift, or a placed
meeting or training session, moves to a later slot of the day, checked again by the rules
(scheduling/intraday_moves), and the change is published at once as a new roster version, like
an approved swap; the operators are told as of any roster change."""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from organisation.audit import audit_record
from organisation.db import retry_on_deadlock
from organisation.local_grid import local_date, timeline_minute
from scheduling.errors import (
    IntradayMoveBreaksRules,
    IntradayMoveOtherDay,
    IntradayMovePast,
    IntradayMoveStale,
)
from scheduling.intraday_moves import break_move_violations, session_move_violations
from scheduling.models import Activity, Roster, RosterChange, Shift, ShiftBreak
from scheduling.selectors.intraday_moves import roster_crew
from scheduling.selectors.roster_rules import roster_rules_input
from scheduling.services.roster_edits import shift_snapshot
from scheduling.services.roster_republish import roster_republish_edit, shift_copy
from scheduling.services.roster_versions import roster_series_lock
from scheduling.services.swap_checks import stable_key


def intraday_break_move(
    *,
    shift: Shift,
    break_start: datetime,
    new_start: datetime,
    user: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Roster:
    """Move the shift's break starting at `break_start` to start at `new_start` (same length)
    and publish it as a new version; refused when either lies in the past, when the shift or
    its break changed since, or when the rules refuse the move. Returns the new version."""
    now = now or timezone.now()
    if break_start <= now or new_start <= now:
        raise IntradayMovePast()
    return retry_on_deadlock(lambda: _move(shift, break_start, new_start, user, now))


@transaction.atomic
def _move(
    shift: Shift,
    break_start: datetime,
    new_start: datetime,
    user: AbstractBaseUser | None,
    now: datetime,
) -> Roster:
    series = roster_series_lock(shift.roster)
    published = next((r for r in series if r.status == Roster.Status.PUBLISHED), None)
    key = stable_key(shift)
    row = shift_copy(published, key) if published is not None else None
    found = row and next((b for b in row.breaks.all() if b.start == break_start), None)
    if published is None or row is None or found is None:
        raise IntradayMoveStale()
    length = found.end - found.start
    _rules_check(published, row, break_start, new_start, now)
    person = row.employee_id

    def edit(roster: Roster) -> list[UUID]:
        copy = shift_copy(roster, key)
        moving = copy and next((b for b in copy.breaks.all() if b.start == break_start), None)
        if copy is None or moving is None or copy.employee_id != person:
            return [key]
        before = shift_snapshot(copy)
        ShiftBreak.objects.filter(pk=moving.pk).update(start=new_start, end=new_start + length)
        RosterChange.objects.create(
            roster=roster,
            actor=user,
            action=RosterChange.Action.BREAK_MOVED,
            shift_id=copy.pk,
            before=before,
            after=shift_snapshot(Shift.objects.prefetch_related("breaks").get(pk=copy.pk)),
            reason="Break moved to cover the rest of the day (intraday)",
        )
        return []

    audited = {
        "employee": str(person),
        "shift": str(key),
        "from": break_start.isoformat(),
        "to": new_start.isoformat(),
    }
    return _publish("intraday_break_moved", audited, user, now, series, edit, [key], {str(person)})


def _publish(
    action: str,
    data: dict[str, Any],
    user: AbstractBaseUser | None,
    now: datetime,
    series: list[Roster],
    edit: Callable[[Roster], list[UUID]],
    keys: list[UUID],
    people: set[str],
) -> Roster:
    """Publish the move at once as a new version (the open drafts get it too), refused as
    stale when the published copy is not as found; audited with the new version."""
    new = roster_republish_edit(
        series=series,
        edit=edit,
        keys=keys,
        people=people,
        user=user,
        now=now,
        changed=IntradayMoveStale,
    )
    audit_record(
        action=action,
        actor=user,
        object_type="roster",
        object_id=str(new.pk),
        data={**data, "version": new.version},
    )
    return new


def _rules_check(
    published: Roster, row: Shift, break_start: datetime, new_start: datetime, now: datetime
) -> None:
    """The rules' verdict on the person's shifts with the break moved, and on the pairing of
    the trainees and mentors on the queue's phone with them: anything new refuses."""
    person = str(row.employee_id)
    if not row.start <= new_start < row.end:
        raise IntradayMoveBreaksRules("A break lies inside its shift.")
    people = {person} | _on_queue(published, row.queue_id, row.start, row.end)
    built = roster_rules_input(published, now=now, only=people, demand=False, sessions=True)
    crew = roster_crew(published, built, people, origin=row.start)
    refused = break_move_violations(
        crew, person, timeline_minute(break_start, row.start), timeline_minute(new_start, row.start)
    )
    if refused:
        found = [built.violation_json(v) for v in refused]
        raise IntradayMoveBreaksRules(found[0]["message"], extra={"violations": found})


def _on_queue(roster: Roster, queue: UUID | None, start: datetime, end: datetime) -> set[str]:
    """Who the roster has on the queue's phone at any time from `start` to `end`: a move
    then may leave their trainees without a mentor."""
    shifts = roster.shifts.filter(
        queue_id=queue, activity=Activity.PHONE, start__lt=end, end__gt=start
    )
    return {str(e) for e in shifts.values_list("employee_id", flat=True)}


def intraday_session_move(
    *,
    roster: Roster,
    session: str,
    start: datetime,
    new_start: datetime,
    user: AbstractBaseUser | None,
    now: datetime | None = None,
) -> Roster:
    """Move the meeting or training session (the rules' id, "meeting:<id>" or
    "session:<id>") that the roster's series placed at `start` to `new_start`, for everyone
    it placed there, and publish it as a new version; refused like a break move, and when
    `new_start` lies on another local day."""
    now = now or timezone.now()
    if start <= now or new_start <= now:
        raise IntradayMovePast()
    if not _same_day(start, new_start, roster.site.timezone):
        raise IntradayMoveOtherDay()
    kind, _, pk = session.partition(":")
    try:
        where = {f"{kind}_id": UUID(pk), "start": start}
    except ValueError as exc:
        raise IntradayMoveStale() from exc
    if kind not in ("meeting", "session"):
        raise IntradayMoveStale()
    return retry_on_deadlock(lambda: _move_session(roster, session, where, new_start, user, now))


def _same_day(first: datetime, second: datetime, tz: str) -> bool:
    try:
        return local_date(instant=first, timezone=tz) == local_date(instant=second, timezone=tz)
    except OverflowError:  # past the year 9999 in the site's zone
        return False


@transaction.atomic
def _move_session(
    roster: Roster,
    session: str,
    where: dict[str, object],
    new_start: datetime,
    user: AbstractBaseUser | None,
    now: datetime,
) -> Roster:
    series = roster_series_lock(roster)
    published = next((r for r in series if r.status == Roster.Status.PUBLISHED), None)
    rows = list(published.placed.filter(**where)) if published is not None else []
    if published is None or not rows:
        raise IntradayMoveStale()
    length = rows[0].end - rows[0].start
    people = {str(r.employee_id) for r in rows}
    # Those on the phone where the session leaves and where it lands: the trainees and
    # mentors among them are paired again.
    checked = people | {
        str(e)
        for e in published.shifts.filter(
            Q(start__lt=rows[0].end, end__gt=rows[0].start)
            | Q(start__lt=new_start + length, end__gt=new_start),
            activity=Activity.PHONE,
        ).values_list("employee_id", flat=True)
    }
    built = roster_rules_input(published, now=now, only=checked, demand=False, sessions=True)
    origin = rows[0].start  # the time line the rules' check reads the move on
    crew = roster_crew(published, built, checked, origin=origin)
    refused = session_move_violations(crew, session, timeline_minute(new_start, origin))
    if refused:
        found = [built.violation_json(v) for v in refused]
        raise IntradayMoveBreaksRules(found[0]["message"], extra={"violations": found})
    keys = [
        stable_key(s)
        for s in published.shifts.filter(
            employee_id__in=people, start__lte=rows[0].start, end__gte=rows[0].end
        )
    ]
    before = {"session": session, "start": rows[0].start.isoformat()}
    after = {"session": session, "start": new_start.isoformat()}

    def edit(version: Roster) -> list[UUID]:
        moved = version.placed.filter(**where).update(start=new_start, end=new_start + length)
        if not moved:
            return keys
        RosterChange.objects.create(
            roster=version,
            actor=user,
            action=RosterChange.Action.ACTIVITY,
            before=before,
            after=after,
            reason="Meeting or training moved to cover the rest of the day (intraday)",
        )
        return []

    audited = {**after, "from": before["start"], "people": sorted(people)}
    return _publish("intraday_session_moved", audited, user, now, series, edit, keys, people)
