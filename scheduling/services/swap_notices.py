"""What a swap's people are told at each step; each event once per person (notices)."""

from zoneinfo import ZoneInfo

from organisation.models import Employee
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from scheduling.models import Shift, ShiftSwap

Kind = ShiftSwap.Kind


def notify_created(swap: ShiftSwap) -> None:
    when = shift_label(swap.shift)
    who = swap.requester.full_name
    if swap.kind == Kind.OPEN:
        colleagues = Employee.objects.filter(team_id=swap.team_id).exclude(pk=swap.requester_id)
        if swap.shift.queue_id:
            colleagues = colleagues.filter(queues=swap.shift.queue_id)
        recipients = [e.user for e in colleagues.select_related("user")]
        message = Message(
            f"Open shift: {when}",
            f"{who} offers the shift {when} on the board.",
            _said("open_shift_posted", swap.shift, name=who),
        )
    else:
        recipients = [swap.counterpart.user] if swap.counterpart else []
        what = "a swap" if swap.kind == Kind.SWAP else "their shift"
        code = "swap_offered" if swap.kind == Kind.SWAP else "give_away_offered"
        message = Message(
            f"{who} offers you {what}",
            f"{who} offers you {what}: {when}.",
            _said(code, swap.shift, name=who),
        )
    notice_many(recipients=recipients, event_key=f"swap:{swap.pk}:pending", message=message)


def notify_accepted(swap: ShiftSwap) -> None:
    when = shift_label(swap.shift)
    managers = list(swap.team.managers.all())
    taker = swap.counterpart.full_name if swap.counterpart else "A colleague"
    message = Message(
        f"Swap to approve: {when}",
        f"{taker} accepted "
        f"{swap.requester.full_name}'s {swap.get_kind_display().lower()} of {when}.",
        _said("swap_to_approve", swap.shift, name=taker),
    )
    notice_many(
        recipients=[swap.requester.user, *managers],
        event_key=f"swap:{swap.pk}:accepted",
        message=message,
    )


def notify_decided(swap: ShiftSwap, outcome: str) -> None:
    when = shift_label(swap.shift)
    people = [swap.requester.user] + ([swap.counterpart.user] if swap.counterpart else [])
    message = Message(
        f"Swap {outcome}: {when}",
        f"The {swap.get_kind_display().lower()} of {when} was {outcome}."
        + (f" {swap.decision_reason}" if swap.decision_reason else ""),
        _said("swap_decided", swap.shift, status=swap.status),
    )
    notice_many(recipients=people, event_key=f"swap:{swap.pk}:{swap.status}", message=message)


def _said(code: str, shift: Shift, **values: str) -> Sentence:
    """A notice's sentence about a shift: its local day and times, and `values`."""
    zone = ZoneInfo(shift.roster.site.timezone)
    start, end = shift.start.astimezone(zone), shift.end.astimezone(zone)
    return Sentence.of(
        code, day=start.date(), start=start.time().replace(second=0), end=end.time(), **values
    )


def shift_label(shift: Shift) -> str:
    local = shift.start.astimezone(ZoneInfo(shift.roster.site.timezone))
    return f"{local:%a %d %b %Y %H:%M} ({shift.roster.site.timezone})"
