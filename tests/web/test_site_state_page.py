"""A US site with no state gets the federal rule pack, and the policy page says so, in
English and Dutch (issue 25 review)."""

import pytest
from django.urls import reverse

from tests.conftest import Org

pytestmark = pytest.mark.django_db


def test_a_us_site_without_a_state_gets_the_federal_pack_and_the_page_says_so(
    org: Org, login
) -> None:
    url = reverse("web:policy-edit") + f"?site={org.new_york.pk}"
    page = login(org.payroll).get(url).content.decode()
    assert "United States, federal" in page
    assert 'data-testid="pack-no-state"' in page
    assert "No state is set for this site, so the federal rules apply" in page
    dutch = login(org.payroll, language="nl").get(url).content.decode()
    assert "Verenigde Staten, federaal" in dutch
    assert "Voor deze vestiging is geen staat ingesteld" in dutch
    org.new_york.us_state = "NY"
    org.new_york.save()
    page = login(org.payroll).get(url).content.decode()
    assert "New York State: Labor Law s. 193" in page
    assert 'data-testid="pack-no-state"' not in page
