"""Dutch is complete: every msgid of the web catalog translated, nothing fuzzy, the compiled
catalog in step with the .po, and pages render Dutch words, dates and numbers."""

import gettext
import importlib
import pkgutil
import re
import string
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from organisation.errors import DomainError
from organisation.sentences import Sentence
from scheduling.models import Roster
from tests.conftest import Org
from timeclock.models import PayLineRecord, PayPeriod
from web import sentences
from web.messages import error_text

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


DUTCH_MONTHS = "jan|feb|mrt|apr|mei|jun|jul|aug|sep|okt|nov|dec"


@pytest.mark.django_db
def test_pages_speak_dutch_with_dutch_dates_and_numbers(org: Org, published: Roster, login) -> None:
    manager = login(org.manager_a, language="nl")
    page = manager.get(reverse("web:roster", args=[published.pk])).content.decode()
    assert "Dekking" in page
    assert "Betaalde uren" in page
    assert re.search(r"\d+,\d", page)  # decimal comma
    # Dutch day and month, the month in lower case as Dutch writes it ("ma 7 dec", never
    # "ma 7 Dec"), whatever month the fixture's week falls in.
    day = r"\b(ma|di|wo|do|vr|za|zo) \d{1,2} "
    assert re.search(day + f"({DUTCH_MONTHS})\\b", page)
    assert not re.search(day + f"({DUTCH_MONTHS.title()})\\b", page)
    operator = login(org.op_a1.user, language="nl")
    week = operator.get(reverse("web:my-week") + f"?week={published.start_date}")
    assert "Mijn week" in week.content.decode()


@pytest.mark.django_db
def test_language_switcher_sets_the_language(org: Org, login) -> None:
    client = login(org.manager_a)
    response = client.post(reverse("set_language"), {"language": "nl", "next": "/manager/"})
    assert response.status_code == 302
    assert "Overzicht" in client.get(reverse("web:dashboard")).content.decode()


def _domain_errors() -> dict[str, type]:
    for package in ("organisation", "scheduling", "timeclock", "wfm", "web"):
        root = importlib.import_module(package)
        for info in pkgutil.walk_packages(root.__path__, package + "."):
            if ".migrations" not in info.name and ".management" not in info.name:
                importlib.import_module(info.name)
    found: dict[str, type] = {}
    todo = [DomainError]
    while todo:
        cls = todo.pop()
        found.setdefault(cls.code, cls)
        todo.extend(cls.__subclasses__())
    return found


def test_every_refusal_a_page_can_meet_reads_in_dutch() -> None:
    errors = _domain_errors()
    assert len(errors) > 60
    with translation.override("en"):
        english = {code: error_text(cls()) for code, cls in errors.items()}
    with translation.override("nl"):
        dutch = {code: error_text(cls()) for code, cls in errors.items()}
    assert [code for code in errors if dutch[code] == english[code]] == ["domain_error"]


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(
    "templates", [sentences.PAY, sentences.RULES, sentences.WORKING_TIME, sentences.NOTICES]
)
def test_service_sentences_have_dutch_with_the_same_values(templates: dict[str, str]) -> None:
    with translation.override("nl"):
        for template in templates.values():
            dutch = translation.gettext(template)
            assert dutch != template, template
            assert _placeholders(dutch) == _placeholders(template), template


@pytest.mark.django_db
def test_payslip_lines_explain_themselves_in_dutch(org: Org, login) -> None:
    period = PayPeriod.objects.create(
        site=org.amsterdam,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 7),
        status=PayPeriod.Status.CLOSED,
    )
    late = Sentence.of(
        "late_per_minute", minutes=8, date=date(2026, 6, 2), grace=5, amount=Decimal("0.50")
    )
    common = {"period": period, "employee": org.op_a1, "hours": 0, "rate": 0}
    PayLineRecord.objects.create(
        **common,
        pay_code="LATENESS_PENALTY",
        minutes=8,
        amount=Decimal("-4.00"),
        rule="late 8 min on 02 Jun, grace 5, 0.50 per minute",
        reason=[late.as_json()],
        work_date=date(2026, 6, 2),
    )
    PayLineRecord.objects.create(  # frozen before lines carried sentences
        **common, pay_code="ADJUSTMENT", minutes=0, amount=Decimal("1.00"), rule="older text"
    )
    page = login(org.op_a1.user, language="nl").get(reverse("web:payslip", args=[period.pk]))
    html = page.content.decode()
    assert "8 min te laat op 2 jun, marge 5, 0,50 per minuut" in html
    assert "late 8 min" not in html
    assert "older text" in html
    english = login(org.op_a1.user).get(reverse("web:payslip", args=[period.pk])).content.decode()
    assert "late 8 min on 2 Jun, grace 5, 0.50 per minute" in english


def test_every_pay_code_has_a_label() -> None:
    """A payslip line shows its code's label; TRAINING and MENTORING_PREMIUM (issue 24) had
    none, so the payslip read "TRAINING" beside "Regular hours"."""
    from timeclock.pay import PayCode
    from web.labels import LABELS

    assert [code.value for code in PayCode if code.value not in LABELS] == []


@pytest.mark.django_db
def test_training_payslip_lines_are_named_and_their_multiplier_plain(org: Org, login) -> None:
    period = PayPeriod.objects.create(
        site=org.amsterdam,
        start_date=date(2026, 6, 1),
        end_date=date(2026, 6, 7),
        status=PayPeriod.Status.CLOSED,
    )
    day = date(2026, 6, 2)
    common = {"period": period, "employee": org.op_a1, "work_date": day, "rate": 0}
    training = Sentence.of("training", day=day, minutes=120, multiplier=Decimal("1.1000"))
    mentoring = Sentence.of("mentoring_premium", day=day, minutes=90, amount=Decimal("2.50"))
    PayLineRecord.objects.create(
        **common,
        pay_code="TRAINING",
        minutes=120,
        hours=Decimal(2),
        amount=Decimal("36.30"),
        rule="stored English",
        reason=[training.as_json()],
    )
    PayLineRecord.objects.create(
        **common,
        pay_code="MENTORING_PREMIUM",
        minutes=90,
        hours=Decimal("1.5"),
        amount=Decimal("3.75"),
        rule="stored English",
        reason=[mentoring.as_json()],
    )
    url = reverse("web:payslip", args=[period.pk])
    english = login(org.op_a1.user).get(url).content.decode()
    assert "Training hours" in english
    assert "Mentoring premium" in english
    assert ">TRAINING<" not in english
    assert "120 min of training or classroom, x1.1 the base rate" in english
    dutch = login(org.op_a1.user, language="nl").get(url).content.decode()
    assert "120 min training of les, x1,1 het basistarief" in dutch


@pytest.mark.django_db
def test_rule_violations_of_an_edit_read_in_dutch(org: Org, published: Roster, login) -> None:
    shift = published.shifts.order_by("start").first()
    client = login(org.manager_a, language="nl")
    response = client.post(
        reverse("web:shift-edit", args=[shift.pk]),
        {
            "day": str(shift.local_date),
            "start_time": "06:00",
            "end_time": "21:00",
            "activity": "phone",
            "queue": shift.queue_id or "",
            "note": "",
        },
    )
    html = response.content.decode()
    items = re.findall(r'<ul class="violations">(.*?)</ul>', html, re.S)
    assert items, html
    # The template by its name, local times, hours and minutes; no id, no English.
    name = f"{shift.template.name} ({shift.queue.name})"  # a template of any queue
    assert f"{name} begint tussen 08:00 en 10:00, niet om 06:00" in items[0]
    assert "15 u is geen lengte van" in items[0]
    assert not re.search(r"[0-9a-f]{8}-[0-9a-f]{4}", items[0]), items[0]
    assert not re.search(r"\b(allowed|required|shift|rest|after midnight)\b", items[0]), items[0]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "nl"])
def test_shift_edit_dates_stay_iso_and_submit_in_either_language(
    org: Org, published: Roster, login, language: str
) -> None:
    """Browsers take only yyyy-mm-dd in a date input; the Dutch page wrote 07-12-2026, the
    browser dropped it and the form came back "Dit veld is vereist"."""
    shift = published.shifts.order_by("start").first()
    client = login(org.manager_a, language=language)
    url = reverse("web:shift-edit", args=[shift.pk])
    html = client.get(url).content.decode()
    day = re.search(r'<input type="date" name="day" value="([^"]*)"', html)
    assert day, html
    assert day.group(1) == shift.local_date.isoformat()
    start = re.search(r'<input type="time" name="start_time" value="([^"]*)"', html)
    assert start is not None
    assert re.fullmatch(r"\d\d:\d\d", start.group(1))
    form = {
        "day": day.group(1),
        "start_time": start.group(1),
        "end_time": re.search(r'name="end_time" value="([^"]*)"', html).group(1),
        "activity": shift.activity,
        "queue": shift.queue_id or "",
        "note": "moved by test",
    }
    response = client.post(url, form)
    assert response.status_code == 302, response.content.decode()
    assert published.revisions.get().shifts.filter(note="moved by test").exists()
