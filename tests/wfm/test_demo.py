"""`manage.py demo` runs the whole chain once and prints its summary; loading its data again
changes nothing."""

from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from fixtures.demo_history import VOLUMES
from fixtures.demo_organisation import demo_organisation
from organisation.demo import demo_organisation_load
from organisation.models import Employee, Queue, Site, Team
from organisation.roles import Role, role_group
from scheduling.demo import slug
from scheduling.models import (
    AvailabilityBlock,
    HistoryImport,
    IntradayOfferAcceptance,
    Roster,
    RosterChange,
    Shift,
    ShiftSwap,
    StaffingRequirement,
    TimeOffRequest,
)
from scheduling.selectors.roster_rules import roster_violations
from scheduling.services.forecasting import history_import
from timeclock.demo import demo_correction_request
from timeclock.demo_pay import demo_pay_stage
from timeclock.models import (
    AcdInterval,
    AgentState,
    CorrectionRequest,
    PayLineRecord,
    PayPeriod,
    Punch,
)
from timeclock.selectors.correction_requests import correction_request_approvals
from timeclock.selectors.timesheets import employee_timesheets

# Real commits, so the report job is sent on commit exactly as on the command line.
pytestmark = pytest.mark.django_db(transaction=True)


START = date(2026, 3, 23)  # the planning week holds the spring DST change (29 March)
PNG = b"\x89PNG\r\n\x1a\n"


def run_demo(out_dir: Path) -> str:
    out = StringIO()
    call_command(
        "demo",
        "--start",
        str(START),
        "--output-dir",
        str(out_dir),
        # Deterministic rosters, 10 s of solver work a site: the same rosters on a slow or
        # busy machine, so what the test checks cannot depend on the machine's speed.
        "--roster-seconds",
        "10",
        "--deterministic",
        stdout=out,
    )
    return out.getvalue()


def snapshot() -> dict[str, object]:
    return {
        "sites": sorted(Site.objects.values_list("name", "timezone")),
        "queues": sorted(Queue.objects.values_list("name", "client_name")),
        "teams": Team.objects.count(),
        "employees": sorted(
            Employee.objects.values_list("number", "team__name", "hourly_rate", "badge_id")
        ),
        "managers": role_group(Role.MANAGER).user_set.count(),
        "payroll": role_group(Role.PAYROLL).user_set.count(),
    }


def test_demo_runs_the_chain_and_loading_its_data_again_changes_nothing(tmp_path: Path) -> None:
    output = run_demo(tmp_path)
    first = snapshot()
    _organisation_loaded(first, output)
    _forecasts_written(tmp_path, output)
    # Amsterdam's swap and open-shift pick-up are published versions 2 and 3; its week
    # holds the DST change, and its night shift is version 4.
    # Then the Friday's VTO and overtime acceptances are versions 5 and 6 (issue 26).
    _rosters_published(tmp_path, output, versions={"Amsterdam": 6, "New York": 1})
    _requests_done(output)
    _correction_pending(output)
    _intraday_replayed(output)
    _offers_accepted(output)
    for employee in Employee.objects.select_related("team__site"):
        assert employee.hourly_rate >= employee.team.site.minimum_hourly_wage
    _pay_closed(tmp_path, output)
    exports = {path.name: path.read_bytes() for path in tmp_path.glob("payroll_*")}
    _load_again(tmp_path)
    # The closed week is exported again byte for byte.
    assert {path.name: path.read_bytes() for path in tmp_path.glob("payroll_*")} == exports
    assert snapshot() == first
    assert HistoryImport.objects.count() == 3  # the same history files: no-op
    assert CorrectionRequest.objects.filter(status="pending").count() == 1, "asked once"


def _intraday_replayed(output: str) -> None:
    """The week came back as an ACD feed (issue 26): its interval statistics are stored, the
    reforecast's error at 10:00 and 13:00 and the three lowest adherences are printed."""
    assert AcdInterval.objects.filter(source="feed").count() > 1000
    # The operators' agent states came too, from the people the punches show at work: every
    # operator who clocked in has states, and a few phone shifts a not-ready stretch.
    states = AgentState.objects.filter(source="feed")
    clocked = set(Punch.objects.filter(kind="in").values_list("employee_id", flat=True))
    assert clocked
    assert set(states.values_list("employee_id", flat=True)) == clocked
    assert states.filter(state="not_ready").exists()
    assert states.filter(state="break").exists()
    assert "Intraday, the week replayed from the ACD feed" in output
    assert output.count("from 10:00") == 3
    assert output.count("from 13:00") == 3
    lines = output.split("the three operators furthest from their schedule", 1)[1].splitlines()
    assert sum("adherence" in line for line in lines[1:4]) == 3


def _offers_accepted(output: str) -> None:
    """One VTO and one overtime offer accepted on the Friday, each published (issue 26)."""
    taken = IntradayOfferAcceptance.objects.select_related("offer", "roster")
    assert sorted(a.offer.kind for a in taken) == ["overtime", "vto"]
    for acceptance in taken:
        assert acceptance.roster.status in ("published", "superseded")
    assert output.count("published as roster version") == 2


def _load_again(out_dir: Path) -> None:
    """Every data load of the demo a second time (the organisation, the history files, the
    forgotten clock-out asked for, the week's pay closed and exported); the solver is not
    run again: what a second build publishes is the roster services' own tests' business."""
    demo_organisation_load(spec=demo_organisation(), password="another-password")
    for volume in VOLUMES:
        path = out_dir / "history" / f"{slug(volume.queue)}.csv"
        history_import(
            queue=Queue.objects.get(name=volume.queue), data=path.read_bytes(), filename=path.name
        )
    request = CorrectionRequest.objects.get()
    forgotten = Shift.objects.get(
        state="published",
        employee=request.employee,
        end=request.occurred_at - timedelta(minutes=4),
    )
    demo_correction_request(shift_id=str(forgotten.pk))
    demo_pay_stage(start=START, out_dir=out_dir)


def _organisation_loaded(first: dict[str, Any], output: str) -> None:
    assert first["sites"] == [
        ("Amsterdam", "Europe/Amsterdam"),
        ("New York", "America/New_York"),
    ]
    assert len(first["queues"]) == 3
    assert [name for name, client in first["queues"] if client] == ["Acme Insurance Claims"]
    assert len(first["employees"]) == 60
    assert first["managers"] == 3
    assert first["payroll"] == 1
    assert Employee.objects.filter(is_home_worker=True).exists()
    assert Employee.objects.values("max_weekly_minutes").distinct().count() >= 3
    assert "Amsterdam" in output
    assert "Acme Insurance" in output
    assert "Claims Desk" in output


def _requests_done(output: str) -> None:
    swaps = ShiftSwap.objects.filter(status="approved").order_by("created_at")
    assert [s.kind for s in swaps] == ["swap", "open"]
    for swap in swaps:
        assert swap.applied_roster is not None
        moved = swap.applied_roster.shifts.get(origin=swap.shift_key)
        assert moved.employee_id == swap.counterpart_id
        assert swap.events.count() == 3  # pending, accepted, approved
    assert sorted(TimeOffRequest.objects.values_list("status", flat=True)) == [
        "approved",
        "waitlisted",
    ]
    assert AvailabilityBlock.objects.filter(kind="time_off").count() == 1
    assert "Requests, Amsterdam" in output
    assert "picked up by" in output


def _forecasts_written(tmp_path: Path, output: str) -> None:
    assert HistoryImport.objects.count() == 3
    for queue in Queue.objects.all():
        rows = StaffingRequirement.objects.filter(queue=queue)
        # 7 local days of 15-minute intervals; Amsterdam's week loses the skipped hour.
        expected = 7 * 96 - (4 if queue.site.timezone == "Europe/Amsterdam" else 0)
        assert rows.count() == expected
        assert rows.filter(scheduled_agents__gt=0).exists()
        chart = tmp_path / f"forecast_{queue.name.lower().replace(' ', '-')}.png"
        assert chart.read_bytes()[:8] == PNG
    assert "Forecast and staffing" in output


def _rosters_published(tmp_path: Path, output: str, *, versions: dict[str, int]) -> None:
    published = Roster.objects.filter(status=Roster.Status.PUBLISHED).order_by("site__name")
    assert {r.site.name: r.version for r in published} == versions
    for roster in published:
        assert roster.shifts.count() > 0
        # Only what a manager overrode with a reason (the demo's overtime night), or the
        # team's policy waived for a trade (voluntary overtime), in any version of the line
        # may break a rule; the solver's shifts break none.
        overridden = {
            (v["rule"], v["employee"])
            for change in RosterChange.objects.filter(
                roster__scope_key=roster.scope_key, roster__start_date=roster.start_date
            ).exclude(reason="")
            for v in change.violations
        }
        assert {(v.rule, v.employee) for v in roster_violations(roster)} <= overridden
        slug = roster.site.name.lower().replace(" ", "-")
        for chart in (f"coverage_{slug}.png", f"roster_{slug}.png"):
            assert (tmp_path / chart).read_bytes()[:8] == PNG
        csv_lines = (tmp_path / f"roster_{slug}.csv").read_text().splitlines()
        assert len(csv_lines) == 1 + roster.shifts.exclude(source="manual").count()
    assert "Rosters, planning week" in output
    assert list((tmp_path / "mail").iterdir()), "publication e-mails were written"
    _punches_simulated(output)


def _punches_simulated(output: str) -> None:
    assert Punch.objects.filter(source="terminal").exists()
    assert Punch.objects.filter(source="remote").exists()
    assert "duplicates answered" in output
    # The week of START holds the spring change: the night shift lasts 7 h of real time.
    night = Shift.objects.get(state="published", activity="backoffice")
    assert night.end - night.start == timedelta(hours=7)
    assert "7 h of real time" in output


def _correction_pending(output: str) -> None:
    """The operator who forgot to clock out asked for it; their manager's queue shows it."""
    request = CorrectionRequest.objects.select_related("employee__team__site").get()
    assert (request.status, request.action, request.kind) == ("pending", "add", "out")
    employee = request.employee
    day = request.occurred_at.astimezone(ZoneInfo(employee.team.site.timezone)).date()
    sheet = employee_timesheets(
        employees=[employee], site=employee.team.site, first=day - timedelta(days=1), last=day
    )[str(employee.pk)]
    assert any("missing_out" in row.exceptions for row in sheet.shifts)
    for manager in employee.team.managers.all():
        assert request in correction_request_approvals(user=manager)
    assert f"correction request: {employee.full_name} asks to add a clock-out" in output


def _pay_closed(tmp_path: Path, output: str) -> None:
    periods = PayPeriod.objects.order_by("site__name")
    assert [(p.site.name, p.status) for p in periods] == [
        ("Amsterdam", "closed"),
        ("New York", "closed"),
    ]
    for period in periods:
        slug = period.site.name.lower().replace(" ", "-")
        rows = (tmp_path / f"payroll_{slug}_{period.start_date}.csv").read_text().splitlines()[1:]
        lines = PayLineRecord.objects.filter(period=period)
        assert sum(Decimal(r.split(",")[7]) for r in rows) == sum(line.amount for line in lines)
    assert not PayLineRecord.objects.filter(
        period__site__name="Amsterdam", pay_code__endswith="PENALTY"
    ).exists()
    # New York allows no fine for lateness or absence (NY Labor Law s. 193, 12 NYCRR
    # 195-4.5(e)): the old fines are refused, late minutes are docked as time not worked.
    assert not PayLineRecord.objects.filter(
        period__site__name="New York", pay_code__endswith="PENALTY"
    ).exists()
    assert "law: fines of the old policy refused: NY Labor Law s. 193; 12 NYCRR 195-4.5(e)" in (
        output
    )
    assert "Pay, the week's period" in output
