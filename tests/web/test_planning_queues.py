"""Queues and history: the list with each queue's goal and history span, the settings form,
the upload's preview (layout, interval, first rows, every bad row with its line, nothing
written), the import, and the history's gaps and weekly chart."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from organisation.models import Queue
from scheduling.models import CallVolume, HistoryImport
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.history import history_csv, history_make, site_today

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(org: Org) -> Queue:
    return queue_make(site=org.amsterdam, name="Retail", client_name="Acme")


def _upload(client: Any, queue: Queue, data: bytes, action: str, **options: Any) -> Any:
    file = SimpleUploadedFile("history.csv", data, content_type="text/csv")
    body = {"history-file": file, "history-interval_minutes": "15", "action": action}
    return client.post(reverse("web:history-upload", args=[queue.pk]), body, **options)


BAD = (
    b"interval_start,calls,aht_seconds\n"
    b"2026-03-02 08:00,10,180\n"
    b"2026-03-02 08:30,ten,180\n"
    b"2026-03-02 09:00,-4,180\n"
    b"yesterday,3,180\n"
)


def test_the_list_shows_goal_occupancy_shrinkage_patience_client_and_history(
    org: Org, queue: Queue, login
) -> None:
    queue.patience_seconds = 90
    queue.save()
    history_make(queue, weeks=2)
    html = login(org.manager_a).get(reverse("web:queues")).content.decode()
    row = html.split('data-testid="queues"')[1]
    for text in ("Retail", "Acme", "80 % in 20 s", "85 %", "30 %", "90 s"):
        assert text in row, text
    yesterday = site_today(queue) - timedelta(days=1)
    assert f"{yesterday.day} {yesterday:%b} {yesterday.year}" in row


def test_a_file_with_bad_rows_lists_each_line_beside_the_file_and_writes_nothing(
    org: Org, queue: Queue, login
) -> None:
    client = login(org.manager_a)
    for action in ("preview", "import"):
        html = _upload(client, queue, BAD, action).content.decode()
        assert 'id="id_history-file_error"' in html
        assert "The history file cannot be imported." in html or "Bad rows" in html
        rows = html.split('data-testid="bad-rows"')[1].split("</ul>")[0]
        assert "Line 3: calls is not a number" in rows
        assert "Line 4: calls is negative" in rows
        assert "Line 5: interval_start is not a date and time" in rows
        assert "Nothing was written." in html
    assert not CallVolume.objects.exists()
    assert not HistoryImport.objects.exists()


def test_bad_rows_read_in_dutch(org: Org, queue: Queue, login) -> None:
    html = _upload(login(org.manager_a, language="nl"), queue, BAD, "preview").content.decode()
    assert "Regel 3: calls is geen getal" in html
    assert "Er is niets opgeslagen." in html


def test_the_preview_shows_layout_interval_first_rows_and_writes_nothing(
    org: Org, queue: Queue, login
) -> None:
    last = site_today(queue) - timedelta(days=1)
    data = history_csv(last_day=last, weeks=1)
    response = _upload(login(org.manager_a), queue, data, "preview", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html  # htmx: the preview alone, the chosen file stays in the form
    assert 'hx-swap-oob="true"' in html
    assert '<dd data-testid="layout">Interval counts</dd>' in html
    assert '<dd data-testid="interval">30 minutes</dd>' in html
    assert "Ready to import: 168 intervals." in html
    assert "interval_start" in html.split("First rows of the file")[1]
    assert "08:00" in html.split("First intervals")[1]  # local times of the site
    assert not CallVolume.objects.exists()


def test_importing_a_good_file_stores_it_once(org: Org, queue: Queue, login) -> None:
    client = login(org.manager_a)
    data = history_csv(last_day=site_today(queue) - timedelta(days=1), weeks=1)
    first = _upload(client, queue, data, "import")
    assert first.status_code == 302
    assert CallVolume.objects.filter(queue=queue).count() == 7 * 24
    again = _upload(client, queue, data, "import", follow=True)
    assert "This file was imported before; nothing changed." in again.content.decode()
    assert HistoryImport.objects.count() == 1


def test_a_file_of_another_interval_than_the_history_is_refused(
    org: Org, queue: Queue, login
) -> None:
    history_make(queue, weeks=1)
    per_call = b"arrived_at,handle_seconds\n2026-03-02 08:01,120\n2026-03-02 08:20,90\n"
    html = _upload(login(org.manager_a), queue, per_call, "import").content.decode()
    assert "This file has 15-minute intervals; the queue&#x27;s history has 30-minute" in html
    assert CallVolume.objects.filter(queue=queue).count() == 7 * 24


def test_a_binary_file_is_refused_not_crashed(org: Org, queue: Queue, login) -> None:
    html = _upload(login(org.manager_a), queue, b"\xff\xfe\x00\x81", "preview").content.decode()
    assert "The file is not UTF-8 text." in html


def test_no_file_is_an_error_beside_the_file_field(org: Org, queue: Queue, login) -> None:
    response = login(org.manager_a).post(
        reverse("web:history-upload", args=[queue.pk]), {"action": "preview"}
    )
    html = response.content.decode()
    assert 'aria-describedby="id_history-file_error id_history-file_helptext"' in html
    assert "This field is required." in html.split('id="id_history-file_error"')[1][:200]


def test_the_history_shows_its_span_gaps_and_calls_per_week(org: Org, queue: Queue, login) -> None:
    last = site_today(queue) - timedelta(days=1)
    lines = history_csv(last_day=last, weeks=4).decode().splitlines()
    gap = (last - timedelta(days=10)).isoformat()
    kept = "\n".join(line for line in lines if not line.startswith(gap)) + "\n"
    CallVolume.objects.all().delete()
    _upload(login(org.manager_a), queue, kept.encode(), "import")
    html = login(org.manager_a).get(reverse("web:queue", args=[queue.pk])).content.decode()
    gaps = html.split('data-testid="gaps"')[1].split("</ul>")[0]
    assert gaps.count("<li>") == 1
    assert "Calls per week" in html
    assert "<polyline" in html


def test_queue_settings_are_saved_and_bad_values_shown_beside_their_field(
    org: Org, queue: Queue, login
) -> None:
    client = login(org.manager_a)
    url = reverse("web:queue", args=[queue.pk])
    good = {
        "settings-client_name": "Acme",
        "settings-service_level_percent": "90",
        "settings-service_level_seconds": "30",
        "settings-max_occupancy_percent": "88",
        "settings-shrinkage_percent": "35",
        "settings-default_aht_seconds": "200",
        "settings-patience_seconds": "120",
    }
    assert client.post(url, good).status_code == 302
    queue.refresh_from_db()
    assert (str(queue.service_level_target), queue.patience_seconds) == ("0.9000", 120)
    bad = good | {"settings-service_level_percent": "100", "settings-shrinkage_percent": "-1"}
    html = client.post(url, bad).content.decode()
    assert 'id="id_settings-service_level_percent_error"' in html
    assert 'id="id_settings-shrinkage_percent_error"' in html
    queue.refresh_from_db()
    assert str(queue.service_level_target) == "0.9000"


def test_roles_and_scope_of_the_queue_pages(org: Org, queue: Queue, login) -> None:
    for user in (org.op_a1.user, org.payroll):
        client = login(user)
        assert client.get(reverse("web:queues")).status_code == 403
        assert client.get(reverse("web:queue", args=[queue.pk])).status_code == 403
        assert _upload(client, queue, BAD, "import").status_code == 403
    other = login(org.manager_b)
    assert "Retail" not in other.get(reverse("web:queues")).content.decode()
    assert other.get(reverse("web:queue", args=[queue.pk])).status_code == 404
    assert (
        _upload(other, queue, history_csv(last_day=site_today(queue)), "import").status_code == 404
    )
    assert not CallVolume.objects.exists()
    admin = login(org.admin)
    ny = queue_make(site=org.new_york, name="Claims")
    listing = admin.get(reverse("web:queues")).content.decode()
    assert "Retail" in listing
    assert "Claims" in listing
    assert admin.get(reverse("web:queue", args=[ny.pk])).status_code == 200
