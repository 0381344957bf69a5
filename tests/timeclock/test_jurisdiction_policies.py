"""The packs against the database (issue 25, item 1): a policy the site's pack forbids is
refused when saved with the article named and nothing written (service, API, page); fine
rules received are recorded per employee, refused after a fine already taken; pay computed
for a New York site carries no fine, the reason on the line."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from organisation.errors import InvalidInput
from organisation.models import AuditEvent
from tests.conftest import Org, client_for
from tests.factories import site_make
from tests.factories.punches import local_today, past_shift, punch_make
from timeclock.errors import (
    FineAcknowledgementAfterFine,
    FineCapLiftAtMinimumWage,
    PayPolicyFinesNoPack,
    PayPolicyUnlawful,
)
from timeclock.models import FineAcknowledgement, PayLineRecord, PayPeriod, PayPolicy
from timeclock.selectors.pay import payslip_get
from timeclock.services.fines import fine_acknowledgement_record
from timeclock.services.pay_policies import pay_policy_save
from timeclock.services.periods import period_create

pytestmark = pytest.mark.django_db

FINES = {"lateness_mode": "per_occurrence", "lateness_amount": Decimal(5)}


@pytest.fixture
def new_york(org: Org) -> Org:
    org.new_york.us_state = "NY"
    org.new_york.save()
    return org


def test_new_york_refuses_a_lateness_fine_naming_the_law(new_york: Org) -> None:
    with pytest.raises(PayPolicyUnlawful) as refused:
        pay_policy_save(policy=PayPolicy(site=new_york.new_york), fields=FINES)
    assert "NY Labor Law s. 193; 12 NYCRR 195-4.5(e)" in refused.value.message
    assert refused.value.extra["fields"] == ["lateness_mode"]
    assert not PayPolicy.objects.exists()
    pay_policy_save(policy=PayPolicy(site=new_york.new_york), fields={"grace_minutes": 3})
    assert PayPolicy.objects.count() == 1


def test_a_country_without_a_pack_turns_fines_off_with_a_clear_message(org: Org) -> None:
    paris = site_make(name="Paris", country_code="FR", timezone="Europe/Paris")
    with pytest.raises(PayPolicyFinesNoPack) as refused:
        pay_policy_save(policy=PayPolicy(site=paris), fields=FINES)
    assert "no rule pack for the country FR" in refused.value.message
    assert not PayPolicy.objects.exists()


def test_dutch_fines_need_a_destination_that_is_not_the_employer(org: Org) -> None:
    for destination, code in (
        ("", "fine_destination_missing"),
        ("Amsterdam", "fine_destination_employer"),
    ):
        with pytest.raises(PayPolicyUnlawful) as refused:
            pay_policy_save(
                policy=PayPolicy(site=org.amsterdam),
                fields=FINES | {"fine_destination": destination},
            )
        assert [r["code"] for r in refused.value.extra["refusals"]] == [code]
        assert refused.value.extra["article"] == "BW art. 7:650"
    per_minute = FINES | {"lateness_mode": "per_minute", "fine_destination": "KWF"}
    with pytest.raises(PayPolicyUnlawful):
        pay_policy_save(policy=PayPolicy(site=org.amsterdam), fields=per_minute)
    assert not PayPolicy.objects.exists()
    pay_policy_save(
        policy=PayPolicy(site=org.amsterdam), fields=FINES | {"fine_destination": "KWF"}
    )


def test_the_api_answers_400_with_the_code_and_writes_nothing(new_york: Org) -> None:
    api = client_for(new_york.payroll)
    response = api.post(
        "/api/v1/pay-policies",
        {"site": str(new_york.new_york.pk), "absence_mode": "fixed", "absence_amount": "20"},
        "json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "pay_policy_unlawful"
    assert not PayPolicy.objects.exists()


def _fined(org: Org, day: date) -> None:
    period = PayPeriod.objects.create(site=org.amsterdam, start_date=day, end_date=day)
    PayLineRecord.objects.create(
        period=period,
        employee=org.op_a1,
        pay_code="LATENESS_PENALTY",
        minutes=12,
        hours=0,
        rate=0,
        amount=Decimal("-5.00"),
        rule="late",
        work_date=day,
    )


def test_rules_received_after_a_fine_already_taken_are_refused(org: Org) -> None:
    today = local_today(org.op_a1)
    _fined(org, today - timedelta(days=10))
    with pytest.raises(FineAcknowledgementAfterFine):
        fine_acknowledgement_record(
            employee=org.op_a1, received_on=today - timedelta(days=3), document="Rules", by=None
        )
    with pytest.raises(InvalidInput):
        fine_acknowledgement_record(
            employee=org.op_a1, received_on=today + timedelta(days=1), document="Rules", by=None
        )
    assert not FineAcknowledgement.objects.exists()
    fine_acknowledgement_record(
        employee=org.op_a1, received_on=today - timedelta(days=30), document="Rules", by=None
    )
    assert AuditEvent.objects.filter(action="fine_rules_received").count() == 1


def test_a_cap_lift_needs_a_wage_above_the_minimum(org: Org) -> None:
    org.op_a1.hourly_rate = org.amsterdam.minimum_hourly_wage
    org.op_a1.save()
    with pytest.raises(FineCapLiftAtMinimumWage):
        fine_acknowledgement_record(
            employee=org.op_a1,
            received_on=date(2026, 1, 5),
            document="Rules",
            cap_lifted=True,
            by=None,
        )
    assert not FineAcknowledgement.objects.exists()


def test_pay_at_a_new_york_site_carries_no_fine_and_says_why(new_york: Org) -> None:
    # A policy written before the pack (straight into the table): pay still refuses it.
    PayPolicy.objects.create(site=new_york.new_york, **FINES)
    shift = past_shift(employee=new_york.op_b1)
    punch_make(employee=new_york.op_b1, kind="in", at=shift.start + timedelta(minutes=20))
    punch_make(employee=new_york.op_b1, kind="out", at=shift.end)
    period = period_create(
        site=new_york.new_york, start_date=shift.local_date, end_date=shift.local_date
    )
    slip = payslip_get(employee=new_york.op_b1, period=period)
    (fine,) = [line for line in slip["lines"] if line["pay_code"] == "LATENESS_PENALTY"]
    assert fine["amount"] == Decimal("0.00")
    assert "5.00 not deducted: NY Labor Law s. 193; 12 NYCRR 195-4.5(e)" in fine["rule"]
    (regular,) = [line for line in slip["lines"] if line["pay_code"] == "REGULAR"]
    assert regular["minutes"] == 8 * 60 - 20  # the late minutes are docked: time not worked


def test_an_evening_overlapping_the_night_is_refused_and_nothing_saved(org: Org) -> None:
    """20:00-23:00 evening with the 22:00-06:00 night: 22:00-23:00 would earn both premiums.
    Windows that touch (evening to 22:00) or cross midnight apart are fine."""
    from datetime import time

    overlapping = {"evening_start": time(20), "evening_end": time(23)}
    with pytest.raises(InvalidInput) as refused:
        pay_policy_save(policy=PayPolicy(site=org.amsterdam), fields=overlapping)
    assert refused.value.extra == {"fields": ["evening_end"]}
    assert not PayPolicy.objects.exists()
    night_early = {"night_start": time(0), "night_end": time(6)}
    late_evening = {"evening_start": time(20), "evening_end": time(0, 30)}
    with pytest.raises(InvalidInput):
        pay_policy_save(policy=PayPolicy(site=org.amsterdam), fields=night_early | late_evening)
    touching = {"evening_start": time(18), "evening_end": time(22), "evening_premium": "0.2"}
    assert pay_policy_save(policy=PayPolicy(site=org.amsterdam), fields=touching).pk
