"""Sentences: values keep their kind through JSON, English reads as before, and every template
of the services names only values its sentences give."""

import string
from datetime import date, time
from decimal import Decimal

import pytest

from organisation.sentences import Sentence, english
from scheduling.notice_sentences import NOTICE_SENTENCES as NOTICES
from scheduling.rules import RULE_SENTENCES
from scheduling.working_time import WORKING_TIME_SENTENCES
from timeclock.notice_sentences import NOTICE_SENTENCES as CLOCK_NOTICES
from timeclock.pay import PAY_SENTENCES


def test_values_keep_their_kind_through_json() -> None:
    sentence = Sentence.of(
        "night_premium",
        minutes=90,
        start=time(22),
        end=time(6),
        date=date(2026, 3, 29),
        percent=Decimal("25.00"),
    )
    data = sentence.as_json()
    assert data == {
        "code": "night_premium",
        "values": {
            "date": "2026-03-29",
            "end": "06:00:00",
            "minutes": 90,
            "percent": "25.00",
            "start": "22:00:00",
        },
    }
    assert Sentence.from_json(data) == sentence


def test_english_formats_each_kind() -> None:
    text = english(
        [
            Sentence.of(
                "night_premium",
                minutes=90,
                start=time(22),
                end=time(6),
                date=date(2026, 3, 29),
                percent=Decimal("25.00"),
            ),
            Sentence.of("reduced_by_minimum_wage", amount=Decimal("1.50")),
        ],
        PAY_SENTENCES,
    )
    assert text == "90 min inside 22:00-06:00 on 29 Mar, +25 %; reduced to 1.50 by the minimum wage"
    change = Sentence.of(
        "adjustment",
        pay_code="REGULAR",
        first=date(2026, 6, 1),
        last=date(2026, 6, 7),
        change_hours=Decimal("1.50"),
        change_amount=Decimal("-3.00"),
    )
    assert english([change], PAY_SENTENCES).startswith(
        "REGULAR for the closed period 2026-06-01..2026-06-07: +1.50 h, -3.00"
    )
    rest = Sentence.of("daily_rest", rest=540, limit=Decimal(11))
    assert english([rest], WORKING_TIME_SENTENCES) == "9 h of rest before this shift, 11 h required"


def test_a_value_without_a_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no kind"):
        Sentence.of("regular", hours_worked=3)


@pytest.mark.parametrize(
    "templates",
    [PAY_SENTENCES, RULE_SENTENCES, WORKING_TIME_SENTENCES, NOTICES, CLOCK_NOTICES],
    ids=["pay", "rules", "wt", "notices", "clock_notices"],
)
def test_every_placeholder_has_a_kind(templates: dict[str, str]) -> None:
    for code, template in templates.items():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        Sentence.of(code, **{name: 0 for name in names})  # raises if a name has no kind
