"""Dutch is complete: every msgid of the web catalog translated, nothing fuzzy, the compiled
catalog in step with the .po, and pages render Dutch words, dates and numbers."""

import gettext
import re
from pathlib import Path

import pytest
from django.urls import reverse

from scheduling.models import Roster
from tests.conftest import Org

LC = Path(__file__).resolve().parents[2] / "web" / "locale" / "nl" / "LC_MESSAGES"
ENTRY = re.compile(
    r'^(#, fuzzy\n)?msgid ((?:".*"\n)+)(?:msgid_plural ((?:".*"\n)+))?'
    r"((?:msgstr(?:\[\d\])? (?:\".*\"\n)+)+)",
    re.M,
)


def _text(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted)).replace('\\"', '"')


def _entries() -> list[tuple[bool, str, list[str]]]:
    po = (LC / "django.po").read_text()
    found = []
    for m in ENTRY.finditer(po):
        msgid = _text(m.group(2))
        if msgid:
            strs = [_text(s) for s in re.split(r"^msgstr(?:\[\d\])? ", m.group(4), flags=re.M)]
            found.append((bool(m.group(1)), msgid, [s for s in strs[1:]]))
    return found


def test_every_dutch_msgid_is_translated_and_none_is_fuzzy() -> None:
    entries = _entries()
    assert len(entries) > 200
    assert [msgid for fuzzy, msgid, _ in entries if fuzzy] == []
    assert "#, fuzzy" not in (LC / "django.po").read_text()
    assert [msgid for _, msgid, strs in entries if not all(strs)] == []


def test_compiled_catalog_matches_the_po_file() -> None:
    with (LC / "django.mo").open("rb") as mo:
        catalog = gettext.GNUTranslations(mo)
    for _, msgid, strs in _entries():
        if len(strs) == 1:
            assert catalog.gettext(msgid) == strs[0], msgid


@pytest.mark.django_db
def test_pages_speak_dutch_with_dutch_dates_and_numbers(org: Org, published: Roster, login) -> None:
    manager = login(org.manager_a, language="nl")
    page = manager.get(reverse("web:roster", args=[published.pk])).content.decode()
    assert "Dekking" in page
    assert "Betaalde uren" in page
    assert re.search(r"\d+,\d", page)  # decimal comma
    assert re.search(r"(ma|di|wo|do|vr|za|zo) \d{1,2} dec", page, re.I)  # Dutch day, month
    operator = login(org.op_a1.user, language="nl")
    week = operator.get(reverse("web:my-week") + f"?week={published.start_date}")
    assert "Mijn week" in week.content.decode()


@pytest.mark.django_db
def test_language_switcher_sets_the_language(org: Org, login) -> None:
    client = login(org.manager_a)
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/manager/"})
    assert response.status_code == 302
    assert "Overzicht" in client.get(reverse("web:dashboard")).content.decode()
