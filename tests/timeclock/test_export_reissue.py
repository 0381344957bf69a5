"""Re-issuing a payroll system's file (issue 25): after the officer corrects the earnings-code
map or an employee's number, the period's ADP or DATEV file is written again from the same
locked pay lines as a new version; the old one is kept, superseded, and still downloads as it
was; who re-issued it and when is audited. Refused with a stable code and nothing written
where the map, account or numbers are still incomplete, the file would not change, the export
was never made, or the format is not a payroll system's."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from organisation.models import AuditEvent
from tests.conftest import Org
from tests.timeclock.test_payroll_systems import _closed, _set_up
from timeclock.errors import (
    ExportCodesUnmapped,
    ExportIdentifiersMissing,
    ExportNotMade,
    ExportReissueFormat,
    ExportReissueUnchanged,
)
from timeclock.exports.datev import datev_lodas_txt
from timeclock.models import EarningsCode, EmployeePayrollIds, PayrollExport
from timeclock.services.payroll_exports import payroll_export, payroll_export_reissue

pytestmark = pytest.mark.django_db


def _corrected(org: Org) -> None:
    """The officer gives the night premium its own wage type and op_a1 the right number."""
    EarningsCode.objects.filter(system="datev", pay_code="NIGHT_PREMIUM").update(code="112")
    EmployeePayrollIds.objects.filter(employee=org.op_a1).update(datev_personnel_number="418")


def _rows() -> list[tuple[Any, ...]]:
    return list(
        PayrollExport.objects.order_by("format", "version").values_list(
            "format", "version", "superseded_at", "sha256"
        )
    )


def test_a_reissue_is_a_new_version_from_the_same_lines_and_the_old_one_is_kept(
    org: Org,
) -> None:
    period = _closed(org)
    _set_up(org)
    first = payroll_export(period=period, format="datev")
    old = bytes(first.content)
    assert b"10;01/11/2026;417;102;4;11,25;;" in old
    _corrected(org)
    issued = payroll_export_reissue(period=period, format="datev", actor=org.payroll)
    new = bytes(issued.content)
    assert (issued.version, issued.created_by, issued.superseded_at) == (2, org.payroll, None)
    assert new == datev_lodas_txt(period=period)
    assert b"10;01/11/2026;418;112;4;11,25;;" in new
    assert b";417;" not in new
    kept = PayrollExport.objects.get(pk=first.pk)
    assert bytes(kept.content) == old  # the old file as it was, superseded
    assert kept.superseded_at is not None
    # The export (and every download) now serves the new version.
    assert payroll_export(period=period, format="datev").pk == issued.pk
    (event,) = AuditEvent.objects.filter(action="payroll_export_reissued")
    assert (event.actor, event.object_id) == ("payroll", str(period.pk))
    assert event.data == {
        "format": "datev",
        "version": 2,
        "sha256": issued.sha256,
        "supersedes": 1,
        "superseded_sha256": first.sha256,
    }


def test_a_reissue_with_the_map_or_numbers_incomplete_is_refused_and_nothing_written(
    org: Org,
) -> None:
    period = _closed(org)
    _set_up(org)
    payroll_export(period=period, format="datev")
    before = _rows()
    EarningsCode.objects.filter(system="datev", pay_code="NIGHT_PREMIUM").delete()
    with pytest.raises(ExportCodesUnmapped) as caught:
        payroll_export_reissue(period=period, format="datev", actor=org.payroll)
    assert caught.value.extra["codes"] == ["NIGHT_PREMIUM"]
    assert _rows() == before
    EarningsCode.objects.create(
        site=org.amsterdam, system="datev", pay_code="NIGHT_PREMIUM", code="112", kind="amount"
    )
    EmployeePayrollIds.objects.filter(employee=org.op_a2).update(datev_personnel_number="")
    with pytest.raises(ExportIdentifiersMissing):
        payroll_export_reissue(period=period, format="datev", actor=org.payroll)
    assert _rows() == before
    assert not AuditEvent.objects.filter(action="payroll_export_reissued").exists()


def test_a_reissue_that_changes_nothing_or_of_no_payroll_file_or_not_made_is_refused(
    org: Org,
) -> None:
    period = _closed(org)
    _set_up(org)
    with pytest.raises(ExportNotMade):
        payroll_export_reissue(period=period, format="adp", actor=org.payroll)
    payroll_export(period=period, format="adp")
    with pytest.raises(ExportReissueUnchanged):
        payroll_export_reissue(period=period, format="adp", actor=org.payroll)
    payroll_export(period=period, format="csv")
    with pytest.raises(ExportReissueFormat):
        payroll_export_reissue(period=period, format="csv", actor=org.payroll)
    assert [(f, v, s is None) for f, v, s, _ in _rows()] == [("adp", 1, True), ("csv", 1, True)]


def test_the_api_reissues_lists_the_versions_and_downloads_each(org: Org) -> None:
    period = _closed(org)
    _set_up(org)
    first = payroll_export(period=period, format="datev")
    client = APIClient()
    client.force_authenticate(org.payroll)
    url = f"/api/v1/pay-periods/{period.pk}/export/versions"
    refused = client.post(url, {"format": "datev"}, format="json")
    assert (refused.status_code, refused.json()["code"]) == (409, "export_reissue_unchanged")
    assert client.post(url, {"format": "csv"}, format="json").json()["code"] == (
        "export_reissue_format"
    )
    _corrected(org)
    answer = client.post(url, {"format": "datev"}, format="json")
    assert answer.status_code == 201
    assert answer.json()["version"] == 2
    assert answer.json()["created_by"] == "payroll"
    listed = client.get(url).json()
    assert [(v["format"], v["version"], v["superseded_at"] is None) for v in listed] == [
        ("datev", 2, True),
        ("datev", 1, False),
    ]
    download = f"/api/v1/pay-periods/{period.pk}/export"
    assert client.get(download, {"kind": "datev", "version": "1"}).content == bytes(first.content)
    assert b";418;112;" in client.get(download, {"kind": "datev"}).content
    assert client.get(download, {"kind": "datev", "version": "9"}).status_code == 404
    operator = APIClient()
    operator.force_authenticate(org.op_a1.user)
    assert operator.post(url, {"format": "datev"}, format="json").status_code == 403


def test_the_period_page_asks_to_confirm_and_lists_the_superseded_version(org: Org) -> None:
    period = _closed(org)
    _set_up(org)
    first = payroll_export(period=period, format="datev")
    client = Client()
    client.force_login(org.payroll)
    reissue = reverse("web:period-reissue", args=[period.pk])
    asked = client.post(reissue, {"format": "datev"})
    assert asked.status_code == 302
    assert asked["Location"].endswith("?reissue=datev#exports")
    assert PayrollExport.objects.count() == 1  # nothing yet
    page = client.get(asked["Location"]).content.decode()
    assert 'data-testid="confirm-reissue-datev"' in page
    assert "Version 1 stays downloadable, marked superseded" in page
    # Still the same file: refused in words, nothing written.
    page = client.post(reissue, {"format": "datev", "confirm": "1"}, follow=True)
    assert "The file would be the same as the current one" in page.content.decode()
    assert PayrollExport.objects.count() == 1
    _corrected(org)
    page = client.post(reissue, {"format": "datev", "confirm": "1"}, follow=True).content.decode()
    assert "DATEV LODAS re-issued as version 2; version 1 is kept, superseded." in page
    assert "version 2, re-issued by payroll on" in page
    assert 'data-testid="superseded-datev"' in page
    download = reverse("web:period-download", args=[period.pk, "datev"])
    assert f'href="{download}?version=1"' in page
    assert client.get(download, {"version": "1"}).content == bytes(first.content)
    assert b";418;112;" in client.get(download).content
