"""Punches made with no shift show on the operator's timesheet (browser walk-through: after
punches on a day without a shift the page said 'No shifts in these two weeks. Total 0:00', so
the operator could neither see them nor ask for a correction). They are rows of their own,
marked as on no shift and not in the total (pay counts shifts), each with the correction link
as other rows; English and Dutch."""

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import Org
from tests.factories.punches import punch_make
from timeclock.models import CorrectionRequest, Punch

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.mark.parametrize(
    ("language", "no_shift"),
    [("en", "No shift (not in the total)"), ("nl", "Geen dienst (niet in het totaal)")],
)
def test_punches_with_no_shift_are_on_the_timesheet_and_can_be_corrected(
    org: Org, login: Any, language: str, no_shift: str
) -> None:
    day = timezone.localtime(timezone.now(), AMSTERDAM).date() - timedelta(days=2)
    came = datetime.combine(day, time(9, 0), tzinfo=AMSTERDAM)
    punch_make(employee=org.op_a1, kind="in", at=came)
    punch_make(employee=org.op_a1, kind="out", at=came + timedelta(hours=2, minutes=30))
    me = login(org.op_a1.user, language=language)
    sheet = me.get(reverse("web:timesheet")).content.decode()
    assert 'data-testid="unscheduled"' in sheet
    assert no_shift in sheet
    assert "09:00" in sheet
    assert "11:30" in sheet
    assert "2:30" in sheet  # the row's time, not in the total
    first = Punch.objects.filter(employee=org.op_a1).order_by("occurred_at").first()
    link = f"shift=unscheduled%3A{first.pk}&amp;day={day}"
    assert link in sheet
    form = me.get(f"{reverse('web:correction')}?shift=unscheduled:{first.pk}&day={day}")
    assert form.status_code == 200
    assert no_shift in form.content.decode()
    sent = me.post(
        f"{reverse('web:correction')}?shift=unscheduled:{first.pk}&day={day}",
        {
            "what": "move",
            "move-punch": first.pk,
            "move-day": str(day),
            "move-time": "08:30",
            "move-reason": "I started earlier",
        },
    )
    assert sent.status_code == 302, sent.content.decode()[:2000]
    asked = CorrectionRequest.objects.get(employee=org.op_a1)
    assert asked.punch_id == first.pk
    # Someone else's punch is no row of theirs.
    other = login(org.op_a2.user)
    assert (
        other.get(f"{reverse('web:correction')}?shift=unscheduled:{first.pk}&day={day}").status_code
        == 404
    )
