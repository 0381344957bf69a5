"""The notices bell: operators and managers see their own notices in the app (roster
published, swaps, time off, punch corrections, shifts to cover) in their language, with the
unread count, each leading to its page and marked read when opened."""

from datetime import date

import pytest
from django.urls import reverse

from organisation.models import Notice
from organisation.sentences import Sentence
from organisation.services.notices import Message, notice_many
from scheduling.models import Roster
from scheduling.services.roster_publish import roster_publish
from tests.conftest import Org

pytestmark = pytest.mark.django_db


def _notice(user, code: str, **values) -> Notice:
    notice_many(
        recipients=[user],
        event_key=f"test:{code}:{Notice.objects.count()}",
        message=Message(f"English subject of {code}", "body", Sentence.of(code, **values)),
    )
    return Notice.objects.filter(recipient=user).order_by("-pk").first()


def test_publishing_notifies_each_operator_in_the_app_and_e_mails_once(
    org: Org, draft: Roster, commits: None
) -> None:
    roster_publish(roster=draft, user=org.manager_a)
    notices = Notice.objects.filter(event_key=f"roster:{draft.pk}:published")
    people = {s.employee.user_id for s in draft.shifts.select_related("employee")}
    assert {n.recipient_id for n in notices} == people
    assert all(n.sent_at is not None for n in notices)  # the roster notice e-mails them
    assert notices[0].sentence == {
        "code": "roster_published",
        "values": {"day": draft.start_date.isoformat(), "version": 1},
    }


def test_the_bell_counts_unread_and_the_page_speaks_the_readers_language(org: Org, login) -> None:
    _notice(org.op_a1.user, "time_off_decided", day=date(2026, 12, 7), last=date(2026, 12, 9),
            status="approved")  # fmt: skip
    _notice(org.op_a2.user, "time_off_decided", day=date(2026, 12, 7), last=date(2026, 12, 7),
            status="rejected")  # fmt: skip
    client = login(org.op_a1.user)
    count = client.get(reverse("web:notice-count")).content.decode()
    assert '<span class="bell-count">1</span>' in count
    assert "unread notice" in count
    page = client.get(reverse("web:notices")).content.decode()
    assert "Your time off from Mon 7 Dec to 9 Dec: Approved" in page
    assert "Rejected" not in page  # someone else's
    dutch = login(org.op_a1.user, language="nl").get(reverse("web:notices")).content.decode()
    assert "Je verlof van ma 7 dec tot 9 dec: Goedgekeurd" in dutch.replace("Dec", "dec")


def test_opening_a_notice_marks_it_read_and_goes_to_its_page(org: Org, login) -> None:
    notice = _notice(org.op_a1.user, "roster_published", day=date(2026, 12, 7), version=2)
    client = login(org.op_a1.user)
    response = client.get(reverse("web:notice-open", args=[notice.pk]))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('web:my-week')}?week=2026-12-07"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "bell-count" not in client.get(reverse("web:notice-count")).content.decode()
    other = _notice(org.op_a2.user, "roster_published", day=date(2026, 12, 7), version=2)
    assert client.get(reverse("web:notice-open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None


def test_marking_all_read_and_older_notices_without_a_sentence(org: Org, login) -> None:
    notice_many(
        recipients=[org.manager_a],
        event_key="older",
        message=Message("Swap to approve: Mon 07 Dec 2026 09:00", "body"),
    )
    _notice(org.manager_a, "cover_needed", name="Anna", count=2)
    client = login(org.manager_a)
    page = client.get(reverse("web:notices")).content.decode()
    assert "Swap to approve: Mon 07 Dec 2026 09:00" in page
    assert "Anna is on leave: 2 shifts to cover" in page
    assert page.count('class="unread"') == 2
    client.post(reverse("web:notices-read"))
    assert not Notice.objects.filter(recipient=org.manager_a, read_at__isnull=True).exists()
    target = client.get(reverse("web:notice-open", args=[Notice.objects.last().pk]))
    assert target["Location"] in (reverse("web:approvals"), reverse("web:notices"))


def test_every_page_shows_the_bell_without_a_query_of_its_own(org: Org, login) -> None:
    html = login(org.op_a1.user).get(reverse("web:my-week")).content.decode()
    assert f'hx-get="{reverse("web:notice-count")}"' in html
    assert login(org.payroll).get(reverse("web:notices")).status_code == 200
