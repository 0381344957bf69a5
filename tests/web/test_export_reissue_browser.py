"""Re-issuing a DATEV file in a browser (issue 25): the period page's *Re-issue* button asks
to confirm, the confirmed re-issue lists the new version with who re-issued it and the old one
superseded, still downloadable; a re-issue with the map incomplete is refused in words and
writes nothing. At 1366 and 390 px, English and Dutch (nl-NL)."""

from typing import Any

import pytest

from tests.conftest import Org
from tests.timeclock.test_payroll_systems import _closed, _set_up
from tests.web.test_browser import SHOTS, _no_horizontal_overflow, browser  # noqa: F401
from tests.web.test_payroll_browser import _page
from timeclock.models import EarningsCode, PayrollExport
from timeclock.services.payroll_exports import payroll_export

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize(
    ("phone", "dutch"), [(False, False), (True, False), (False, True), (True, True)]
)
def test_a_datev_file_is_re_issued_after_the_map_is_corrected(
    transactional_db: None,
    org: Org,
    live_server: Any,
    browser: Any,  # noqa: F811 (the fixture imported above)
    phone: bool,
    dutch: bool,
) -> None:
    period = _closed(org)
    _set_up(org)
    first = payroll_export(period=period, format="datev")
    page = _page(browser, live_server, org.payroll, phone=phone, dutch=dutch)
    tag = f"{'nl' if dutch else 'en'}-{390 if phone else 1366}"
    url = f"{live_server.url}/payroll/periods/{period.pk}/"
    # The map loses the night premium's wage type: the re-issue is refused, nothing written.
    EarningsCode.objects.filter(system="datev", pay_code="NIGHT_PREMIUM").delete()
    page.goto(url)
    page.click("[data-testid=reissue-datev]")
    page.wait_for_selector("[data-testid=confirm-reissue-datev]")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"export-reissue-confirm-{tag}.png"), full_page=True)
    page.click("[data-testid=reissue-yes-datev]")
    page.wait_for_selector(".msg-error")
    assert ("Nachttoeslag" if dutch else "Night premium") in page.inner_text(".msg-error")
    assert PayrollExport.objects.count() == 1
    page.screenshot(path=str(SHOTS / f"export-reissue-refused-{tag}.png"), full_page=True)
    # Mapped to its own wage type: re-issued as version 2, version 1 kept and downloadable.
    EarningsCode.objects.create(
        site=org.amsterdam, system="datev", pay_code="NIGHT_PREMIUM", code="112", kind="amount"
    )
    page.click("[data-testid=reissue-datev]")
    page.click("[data-testid=reissue-yes-datev]")
    page.wait_for_selector("[data-testid=superseded-datev]")
    assert PayrollExport.objects.filter(format="datev").count() == 2
    assert "payroll" in page.inner_text("#export-list")
    _no_horizontal_overflow(page)
    page.screenshot(path=str(SHOTS / f"export-reissue-done-{tag}.png"), full_page=True)
    with page.expect_download() as old:
        page.click("[data-testid=superseded-datev] a")
    assert old.value.path().read_bytes() == bytes(first.content)
    with page.expect_download() as new:
        page.click("[data-testid=download-datev]")
    assert b";417;112;4;11,25;" in new.value.path().read_bytes()
