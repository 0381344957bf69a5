"""Someone with shifts on two sites' rosters in the same weeks (moved between sites): each
shift is paid once, by the period of the site whose roster it is on, with its punches matched
against all their shifts; the periods see their shifts; the policy is the roster's team's;
their payslips stay reachable; the close warns that the rate and overtime cross sites."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from organisation.models import Employee
from scheduling.models import Roster, Shift
from tests.conftest import Org, client_for
from tests.factories import queue_make
from tests.timeclock.test_payroll import AMS, FIRST, _punch, _roster, _shift
from timeclock.errors import PeriodHasExceptions, PeriodNotEnded
from timeclock.exports.billable import billable_hours_csv
from timeclock.models import PayPeriod, PayPolicy
from timeclock.selectors.pay import payslip_get, payslip_periods
from timeclock.selectors.payroll_review import payroll_review
from timeclock.selectors.periods import period_ends_at, period_exceptions, period_lines
from timeclock.services.adjustments import adjustments_compute
from timeclock.services.periods import period_close, period_create

pytestmark = pytest.mark.django_db
NY = ZoneInfo("America/New_York")
AFTER = datetime(2026, 6, 9, 12, tzinfo=UTC)  # both sites' weeks of FIRST are over


def _move(employee: Employee, **fields: Any) -> None:
    Employee.objects.filter(pk=employee.pk).update(**fields)


def _ny_roster(org: Org) -> Roster:
    return Roster.objects.create(
        site=org.new_york,
        team=org.team_b,
        scope_key=f"team:{org.team_b.pk}",
        start_date=FIRST - timedelta(days=1),
        days=14,
        version=1,
        status="published",
    )


def _weeks(org: Org) -> tuple[PayPeriod, PayPeriod]:
    last = FIRST + timedelta(days=6)
    return (
        period_create(site=org.amsterdam, start_date=FIRST, end_date=last),
        period_create(site=org.new_york, start_date=FIRST, end_date=last),
    )


def _two_site_day(org: Org, queue: Any = None) -> tuple[Shift, Shift]:
    """op_a1 works Amsterdam 09:00-17:00 on Wednesday, moves to New York and works 13:00-14:30
    there (19:00-20:30 in Amsterdam) the same day: 9.5 h worked."""
    amsterdam = _shift(_roster(org), org.op_a1, 2, queue=queue)
    _punch(org.op_a1, "in", amsterdam.start)
    _punch(org.op_a1, "out", amsterdam.end)
    _move(org.op_a1, team=org.team_b)
    start = datetime.combine(FIRST + timedelta(days=2), time(13), tzinfo=NY)
    new_york = Shift.objects.create(
        roster=_ny_roster(org),
        employee=org.op_a1,
        start=start,
        end=start + timedelta(minutes=90),
        local_date=start.date(),
        state="published",
    )
    _punch(org.op_a1, "in", new_york.start)
    _punch(org.op_a1, "out", new_york.end)
    return amsterdam, new_york


def _worked_hours(lines: list[Any]) -> Decimal:
    return sum(
        (line.hours for line in lines if str(line.pay_code) in ("REGULAR", "OVERTIME")),
        start=Decimal(0),
    )


def test_a_day_on_two_sites_rosters_is_paid_once_across_both_periods(org: Org) -> None:
    _two_site_day(org)
    amsterdam, new_york = _weeks(org)
    key = str(org.op_a1.pk)
    at_amsterdam = _worked_hours(period_lines(period=amsterdam, now=AFTER)[key])
    at_new_york = _worked_hours(period_lines(period=new_york, now=AFTER)[key])
    assert (at_amsterdam, at_new_york) == (Decimal("8.00"), Decimal("1.50"))
    rows = {
        site: next(r for r in payroll_review(period=p).rows if r.number == org.op_a1.number)
        for site, p in (("ams", amsterdam), ("ny", new_york))
    }
    assert rows["ams"].regular_hours + rows["ams"].overtime_hours == Decimal("8.00")
    assert rows["ny"].regular_hours + rows["ny"].overtime_hours == Decimal("1.50")
    employee = Employee.objects.get(pk=org.op_a1.pk)
    slip = payslip_get(employee=employee, period=amsterdam)
    worked = [line for line in slip["lines"] if line["pay_code"] in ("REGULAR", "OVERTIME")]
    assert sum(line["hours"] for line in worked) == Decimal("8.00")


def test_billable_hours_keep_another_sites_punches_out(org: Org) -> None:
    client = queue_make(site=org.amsterdam, name="Acme", client_name="Acme Inc")
    _two_site_day(org, queue=client)
    amsterdam, _ = _weeks(org)
    day = (FIRST + timedelta(days=2)).isoformat()
    assert billable_hours_csv(period=amsterdam).decode().splitlines()[1:] == [
        f"Acme Inc,Acme,{day},8.00,WORKED,,"
    ]


@pytest.mark.parametrize("moved", [False, True])
def test_a_night_shift_over_the_periods_end_holds_the_close_and_keeps_its_clock_out(
    org: Org, moved: bool
) -> None:
    """op_a1's Sunday 22:00 - Monday 06:00 shift on the Amsterdam roster, the last of the week;
    they move to New York (or not) during it. At 01:00 the period has not ended; forced closed
    then, the clock-out received at 06:00 is booked as an adjustment in the next period."""
    sunday = datetime.combine(FIRST + timedelta(days=6), time(22), tzinfo=AMS)
    night = Shift.objects.create(
        roster=_roster(org),
        employee=org.op_a1,
        start=sunday,
        end=sunday + timedelta(hours=8),
        local_date=sunday.date(),
        state="published",
    )
    _punch(org.op_a1, "in", night.start)
    if moved:
        _move(org.op_a1, team=org.team_b)
    week = period_create(site=org.amsterdam, start_date=FIRST, end_date=FIRST + timedelta(days=6))
    at_one = sunday + timedelta(hours=3)
    assert period_ends_at(period=week) == night.end
    with pytest.raises(PeriodNotEnded):
        period_close(period=week, user=org.payroll, now=at_one)
    period_close(period=week, user=org.payroll, now=at_one, force_reason="payday")
    _punch(org.op_a1, "out", night.end)
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    booked = adjustments_compute(period=following)
    assert {str(a.employee_id) for a in booked} == {str(org.op_a1.pk)}
    regular = [a for a in booked if a.adjusted_code == "REGULAR"]
    assert sum(a.hours for a in regular) == Decimal("8.00")


def test_someone_moved_keeps_the_old_sites_payslips_in_the_page_and_the_api(org: Org) -> None:
    """op_a1 worked at Amsterdam in a week now closed and has an Amsterdam shift in the open
    week after, then moved to New York: both Amsterdam payslips stay theirs; a closed week
    that paid them nothing and another site's period are not."""
    roster = _roster(org)
    for day in (0, 7):
        shift = _shift(roster, org.op_a1, day)
        _punch(org.op_a1, "in", shift.start)
        _punch(org.op_a1, "out", shift.end)
    amsterdam, new_york = _weeks(org)
    closed = period_close(period=amsterdam, user=org.payroll, force_reason="test", now=AFTER)
    following = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=7),
        end_date=FIRST + timedelta(days=13),
    )
    later = period_create(
        site=org.amsterdam,
        start_date=FIRST + timedelta(days=14),
        end_date=FIRST + timedelta(days=20),
    )
    period_close(period=later, user=org.payroll, force_reason="test", now=AFTER)
    _move(org.op_a1, team=org.team_b)
    employee = Employee.objects.get(pk=org.op_a1.pk)
    mine = set(payslip_periods(employee=employee).values_list("pk", flat=True))
    assert mine == {closed.pk, following.pk, new_york.pk}  # New York: their site now, open
    web = Client()
    web.force_login(org.op_a1.user)
    listing = web.get(reverse("web:payslips")).content.decode()
    assert reverse("web:payslip", args=[closed.pk]) in listing
    assert reverse("web:payslip", args=[following.pk]) in listing
    assert reverse("web:payslip", args=[later.pk]) not in listing
    for period, hours in ((closed, "8.00"), (following, "8.00")):
        page = web.get(reverse("web:payslip", args=[period.pk]))
        assert page.status_code == 200
        answer = client_for(org.op_a1.user).get(f"/api/v1/me/payslips/{period.pk}")
        assert answer.status_code == 200, answer.content
        regular = [x for x in answer.json()["lines"] if x["pay_code"] == "REGULAR"]
        assert [x["hours"] for x in regular] == [hours]
    assert web.get(reverse("web:payslip", args=[later.pk])).status_code == 404
    other = client_for(org.op_b1.user).get(f"/api/v1/me/payslips/{closed.pk}")
    assert other.status_code == 404


def test_a_moved_persons_old_site_shifts_are_paid_by_their_rosters_teams_policy(
    org: Org,
) -> None:
    """Amsterdam's Team A pays overtime past 4 h a day (a team policy; the site's pays none);
    op_a1 worked an 8 h shift on Team A's roster, then moved to New York: Team A's policy
    still pays that shift, in the review, the close and the payslip preview."""
    PayPolicy.objects.create(site=org.amsterdam, daily_overtime_hours=None)
    PayPolicy.objects.create(site=org.amsterdam, team=org.team_a, daily_overtime_hours=Decimal(4))
    shift = _shift(_roster(org), org.op_a1, 0)
    _punch(org.op_a1, "in", shift.start)
    _punch(org.op_a1, "out", shift.end)
    _move(org.op_a1, team=org.team_b)
    amsterdam, _ = _weeks(org)
    row = next(r for r in payroll_review(period=amsterdam).rows if r.number == org.op_a1.number)
    assert (row.regular_hours, row.overtime_hours) == (Decimal(4), Decimal(4))
    employee = Employee.objects.get(pk=org.op_a1.pk)
    assert payslip_get(employee=employee, period=amsterdam)["gross"] == row.gross
    lines = period_lines(period=amsterdam, now=AFTER)[str(org.op_a1.pk)]
    assert {str(line.pay_code): line.hours for line in lines}["OVERTIME"] == Decimal("4.00")


def _close_refused(period: PayPeriod, org: Org) -> dict[str, Any]:
    with pytest.raises(PeriodHasExceptions) as refused:
        period_close(period=period, user=org.payroll, now=AFTER)
    return refused.value.extra


def test_someone_paid_across_sites_is_an_exception_that_holds_the_close(org: Org) -> None:
    """op_a1 worked in Amsterdam and New York the same day (moved): both open weeks list them
    as paid across sites, with what to check, in the exceptions, the review row and the
    payslip preview; each close is refused unless forced with a reason, then frozen without
    the warning."""
    _two_site_day(org)
    amsterdam, new_york = _weeks(org)
    employee = Employee.objects.get(pk=org.op_a1.pk)
    for period, other in ((amsterdam, "New York"), (new_york, "Amsterdam")):
        (found,) = [e for e in period_exceptions(period=period) if "moved_site" in e.exceptions]
        assert found.employee.pk == org.op_a1.pk
        assert found.note is not None
        assert dict(found.note.values) == {"name": other}
        row = next(r for r in payroll_review(period=period).rows if r.number == employee.number)
        assert row.exceptions == ["moved_site"]
        assert row.notes == [found.note]
        assert payslip_get(employee=employee, period=period)["warnings"] == [found.note.as_json()]
        extra = _close_refused(period, org)
        assert extra["exceptions"] == [
            {
                "employee": employee.number,
                "work_date": str(FIRST),
                "exceptions": ["moved_site"],
            }
        ]
        closed = period_close(period=period, user=org.payroll, now=AFTER, force_reason="rates ok")
        assert closed.status == PayPeriod.Status.CLOSED
        assert payslip_get(employee=employee, period=closed)["warnings"] == []


def test_someone_still_here_with_a_shift_at_another_site_is_paid_across_sites(org: Org) -> None:
    """op_a1 stays in Amsterdam but works one New York shift the same week: the Amsterdam
    week warns too (weekly overtime counts each site apart); op_a2, only here, does not."""
    here, _ = _two_site_day(org)
    _move(org.op_a1, team=org.team_a)
    shift = _shift(here.roster, org.op_a2, 3)
    _punch(org.op_a2, "in", shift.start)
    _punch(org.op_a2, "out", shift.end)
    amsterdam, _ = _weeks(org)
    flagged = {e.employee.number for e in period_exceptions(period=amsterdam) if e.exceptions}
    assert flagged == {org.op_a1.number}
    _close_refused(amsterdam, org)


def test_a_week_without_anyone_across_sites_closes_without_a_reason(org: Org) -> None:
    shift = _shift(_roster(org), org.op_a1, 0)
    _punch(org.op_a1, "in", shift.start)
    _punch(org.op_a1, "out", shift.end)
    amsterdam, _ = _weeks(org)
    assert period_exceptions(period=amsterdam) == []
    closed = period_close(period=amsterdam, user=org.payroll, now=AFTER)
    assert closed.status == PayPeriod.Status.CLOSED


def test_the_review_page_payslip_page_and_api_show_the_warning(org: Org) -> None:
    _two_site_day(org)
    amsterdam, _ = _weeks(org)
    payroll = Client()
    payroll.force_login(org.payroll)
    review = payroll.get(reverse("web:period-review", args=[amsterdam.pk])).content.decode()
    assert "Paid across sites" in review
    assert "Also at New York in this period" in review
    operator = Client()
    operator.force_login(org.op_a1.user)
    slip = operator.get(reverse("web:payslip", args=[amsterdam.pk])).content.decode()
    assert "Also at New York in this period" in slip
    answer = client_for(org.op_a1.user).get(f"/api/v1/me/payslips/{amsterdam.pk}").json()
    assert answer["warnings"] == [{"code": "moved_site", "values": {"name": "New York"}}]
    assert "moved_site" in payroll.get(reverse("web:period", args=[amsterdam.pk])).content.decode()


def test_the_warning_reads_in_dutch(org: Org) -> None:
    _two_site_day(org)
    amsterdam, _ = _weeks(org)
    payroll = Client(headers={"accept-language": "nl"})
    payroll.force_login(org.payroll)
    review = payroll.get(reverse("web:period-review", args=[amsterdam.pk])).content.decode()
    assert "Betaald op meerdere vestigingen" in review
    assert "Ook bij New York in deze periode" in review
    operator = Client(headers={"accept-language": "nl"})
    operator.force_login(org.op_a1.user)
    slip = operator.get(reverse("web:payslip", args=[amsterdam.pk])).content.decode()
    assert "Ook bij New York in deze periode" in slip
