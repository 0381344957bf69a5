"""The publish form sent again (back button, double click) after the version was published
says so (browser walk-through: it said 'Version 1 published; 0 operators notified.' as if
published a second time). Nothing is published or notified again."""

import pytest
from django.urls import reverse

from organisation.models import Notice
from scheduling.models import Roster, RosterChange, Shift
from tests.conftest import Org
from tests.factories.requests import published_make

pytestmark = pytest.mark.django_db
SAID = {
    "en": ("Version 1 published;", "Version 1 is already published; nobody was notified again."),
    "nl": (
        "Versie 1 gepubliceerd;",
        "Versie 1 is al gepubliceerd; niemand is opnieuw op de hoogte gebracht.",
    ),
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_publishing_again_says_it_is_already_published(
    org: Org, login, commits: None, language: str
) -> None:
    pub = published_make(team=org.team_a, people=[org.op_a1, org.op_a2])
    Roster.objects.filter(pk=pub.roster.pk).update(status=Roster.Status.DRAFT)
    for day in range(5):  # lunches at 13:00 and 14:00: someone is always on the phone
        pub.shift(org.op_a1, day, hour=9)
        pub.shift(org.op_a2, day, hour=10)
    Shift.objects.update(state=Roster.Status.DRAFT)
    client = login(org.manager_a, language=language)
    url = reverse("web:publish", args=[pub.roster.pk])
    first = client.post(url, {"confirm": "on"}, follow=True).content.decode()
    published, again = SAID[language]
    assert published in first
    notices = Notice.objects.count()
    changes = RosterChange.objects.count()
    second = client.post(url, {"confirm": "on"}, follow=True)
    assert second.redirect_chain[-1][0] == reverse("web:roster", args=[pub.roster.pk])
    page = second.content.decode()
    assert again in page
    assert published not in page
    assert Notice.objects.count() == notices
    assert RosterChange.objects.count() == changes
