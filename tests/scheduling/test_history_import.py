"""Importing history into a queue: time zones, idempotence, atomic rejection, both layouts."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from scheduling.errors import BadHistoryFile, IntervalMismatch
from scheduling.models import CallVolume, HistoryImport
from scheduling.services.forecasting import history_import
from tests.conftest import Org, client_for
from tests.factories import queue_make

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


@pytest.fixture
def queue(org: Org) -> Any:
    return queue_make(site=org.amsterdam, name="Retail")


def test_wall_clock_times_are_stored_in_utc_across_the_autumn_change(queue: Any) -> None:
    text = (
        "interval_start,calls,aht_seconds\n"
        "2026-10-25 01:30,5,200\n"
        "2026-10-25 02:00,1,200\n"
        "2026-10-25 02:30,2,200\n"
        "2026-10-25 02:00,3,200\n"  # the repeated hour, second time round
        "2026-10-25 02:30,4,200\n"
        "2026-10-25 03:00,6,200\n"
    )
    record, created = history_import(queue=queue, data=text.encode())
    assert created
    stored = list(CallVolume.objects.filter(queue=queue).values_list("interval_start", "calls"))
    assert [(ts.astimezone(UTC).strftime("%H:%M"), c) for ts, c in stored] == [
        ("23:30", 5.0),
        ("00:00", 1.0),
        ("00:30", 2.0),
        ("01:00", 3.0),
        ("01:30", 4.0),
        ("02:00", 6.0),
    ]
    assert record.interval_minutes == 30
    assert CallVolume.objects.get(queue=queue, calls=5).handle_seconds == 1000


def test_reimporting_the_same_file_is_a_no_op(queue: Any) -> None:
    data = b"interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:15,4\n"
    first, created = history_import(queue=queue, data=data)
    CallVolume.objects.filter(queue=queue).update(calls=99)  # e.g. a later correction
    again, created_again = history_import(queue=queue, data=data)
    assert created
    assert not created_again
    assert again.pk == first.pk
    assert HistoryImport.objects.count() == 1
    assert set(CallVolume.objects.values_list("calls", flat=True)) == {99.0}


def test_a_new_file_replaces_overlapping_intervals(queue: Any) -> None:
    history_import(
        queue=queue, data=b"interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:15,4\n"
    )
    history_import(
        queue=queue, data=b"interval_start,calls\n2026-03-02 08:15,6\n2026-03-02 08:30,7\n"
    )
    values = dict(
        (ts.astimezone(UTC).strftime("%H:%M"), c)
        for ts, c in CallVolume.objects.values_list("interval_start", "calls")
    )
    assert values == {"07:00": 10.0, "07:15": 6.0, "07:30": 7.0}


def test_bad_rows_write_nothing_and_name_their_lines(queue: Any) -> None:
    data = b"interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:15,-1\n2026-03-02 08:15,3\n"
    with pytest.raises(BadHistoryFile) as caught:
        history_import(queue=queue, data=data)
    lines = {e["line"] for e in caught.value.extra["errors"]}
    assert lines == {3, 4}
    assert not CallVolume.objects.exists()
    assert not HistoryImport.objects.exists()


def test_calls_in_the_skipped_spring_hour_are_refused(queue: Any) -> None:
    data = b"interval_start,calls\n2026-03-29 01:30,1\n2026-03-29 02:00,4\n2026-03-29 03:00,4\n"
    with pytest.raises(BadHistoryFile) as caught:
        history_import(queue=queue, data=data)
    assert caught.value.extra["errors"][0]["line"] == 3
    assert "does not exist" in caught.value.extra["errors"][0]["message"]


def test_a_different_interval_length_is_a_conflict(queue: Any) -> None:
    history_import(
        queue=queue, data=b"interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:15,4\n"
    )
    with pytest.raises(IntervalMismatch):
        history_import(
            queue=queue, data=b"interval_start,calls\n2026-03-03 08:00,10\n2026-03-03 08:30,4\n"
        )
    assert CallVolume.objects.count() == 2


def test_anonymous_bank_per_call_records_import(queue: Any) -> None:
    data = (FIXTURES / "anonymous_bank_1999_08_first300.csv").read_bytes()
    record, _ = history_import(queue=queue, data=data, interval_minutes=30)
    assert record.layout == "anonymous_bank"
    assert record.rows_read <= 300
    total = sum(CallVolume.objects.values_list("calls", flat=True))
    assert total == record.rows_read  # every non-phantom record is an offered call
    served = CallVolume.objects.filter(handled_calls__gt=0)
    assert served.exists()
    for row in served:
        assert 0 < row.handle_seconds / row.handled_calls < 3600


def test_upload_api_for_managers_of_the_site(org: Org, queue: Any) -> None:
    url = f"/api/v1/queues/{queue.pk}/history"
    body = b"interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:15,4\n"

    def upload(user: Any) -> Any:
        return client_for(user).post(
            url, {"file": SimpleUploadedFile("h.csv", body)}, format="multipart"
        )

    assert upload(org.op_a1.user).status_code == 403
    assert upload(org.manager_b).status_code == 404
    first = upload(org.manager_a)
    assert first.status_code == 201, first.json()
    assert first.json()["intervals_written"] == 2
    again = upload(org.manager_a)
    assert again.status_code == 200
    assert again.json()["created"] is False


def test_upload_api_reports_bad_rows(org: Org, queue: Any) -> None:
    response = client_for(org.manager_a).post(
        f"/api/v1/queues/{queue.pk}/history",
        {"file": SimpleUploadedFile("h.csv", b"interval_start,calls\n2026-03-02 08:00,x\n")},
        format="multipart",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "bad_history_file"
    assert body["extra"]["errors"] == [{"line": 2, "message": "calls is not a number"}]


def test_import_history_command(queue: Any, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("interval_start,calls\n2026-03-02 08:00,10\n2026-03-02 08:15,4\n")
    call_command("import_history", "Retail", str(path))
    assert CallVolume.objects.count() == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("interval_start,calls\n2026-03-02 08:00,-4\n2026-03-02 08:15,4\n")
    with pytest.raises(CommandError, match="bad_history_file"):
        call_command("import_history", "Retail", str(bad))
    with pytest.raises(CommandError, match="No queue"):
        call_command("import_history", "Nope", str(path))


def test_stored_instants_are_aware_utc(queue: Any) -> None:
    history_import(
        queue=queue, data=b"interval_start,calls\n2026-07-01 09:00,1\n2026-07-01 09:30,1\n"
    )
    first = CallVolume.objects.order_by("interval_start").first()
    assert first is not None
    assert first.interval_start == datetime(2026, 7, 1, 7, 0, tzinfo=UTC)
