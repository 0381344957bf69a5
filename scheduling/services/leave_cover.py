"""Approved time off and the shifts it overlaps. Each published shift of the person that the
leave overlaps and that has not started is posted on the team's open-shift board for a
colleague to pick up (a swap of kind open, which the approvals queue shows the managers),
and the team's managers are told which shifts need cover; on the board those shifts are
marked and the editor lists the candidates. A shift that cannot be posted (already offered,
starting too soon to be traded) is still reported to the managers."""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from organisation.errors import DomainError
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from scheduling.models import Roster, Shift, ShiftSwap, TimeOffRequest
from scheduling.services.swaps import SwapAsk, swap_request

# What colleagues read on the post (the requester is on leave, the manager asked nothing).
LEAVE_NOTE = "On approved leave: this shift needs someone."


@dataclass(frozen=True)
class LeaveCover:
    shifts: list[Shift]  # every overlapped shift, in start order
    posted: list[ShiftSwap]  # the ones now on the open-shift board


def time_off_cover_request(*, request: TimeOffRequest, now: datetime | None = None) -> LeaveCover:
    """Post the shifts the granted leave overlaps and tell the managers; nothing when the
    request is no longer approved. Posting twice has one effect (a shift already offered is
    left as it is)."""
    now = now or timezone.now()
    request = TimeOffRequest.objects.select_related("employee__user", "team", "block").get(
        pk=request.pk
    )
    if request.status != TimeOffRequest.Status.APPROVED or request.block is None:
        return LeaveCover([], [])
    shifts = list(
        Shift.objects.filter(
            employee=request.employee,
            state=Roster.Status.PUBLISHED,
            start__lt=request.block.end,
            end__gt=request.block.start,
            start__gt=now,
        )
        .select_related("roster__site", "queue", "employee")
        .order_by("start")
    )
    posted = []
    for shift in shifts:
        try:
            posted.append(
                swap_request(
                    requester=request.employee,
                    ask=SwapAsk(kind=ShiftSwap.Kind.OPEN, shift=shift, note=LEAVE_NOTE),
                    user=request.decided_by or request.employee.user,
                    now=now,
                )
            )
        except DomainError:
            continue  # offered already, or too soon to be traded: the managers still hear of it
    if shifts:
        _tell_managers(request, shifts)
    return LeaveCover(shifts, posted)


def _tell_managers(request: TimeOffRequest, shifts: list[Shift]) -> None:
    zone = ZoneInfo(shifts[0].roster.site.timezone)
    who = request.employee.full_name
    lines = "\n".join(
        f"- {s.start.astimezone(zone):%a %d %b %H:%M}-{s.end.astimezone(zone):%H:%M}"
        + (f" {s.queue.name}" if s.queue else "")
        for s in shifts
    )
    notice_many(
        recipients=list(request.team.managers.all()),
        event_key=f"time_off:{request.pk}:cover",
        message=Message(
            f"{len(shifts)} shift(s) to cover: {who} is on leave",
            f"{who}'s time off was approved and overlaps these published shifts, now on the "
            f"team's open-shift board:\n{lines}\nSee the roster for who could take them.",
            Sentence.of("cover_needed", name=who, count=len(shifts)),
        ),
    )
