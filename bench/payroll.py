"""Attendance + pay for 10,000 employees x one month, and every payroll export.

    python bench/payroll.py [--employees 10000] [--days 30] [--no-export]

Seeded synthetic month: 5 shifts a week (about 22 per person), 4 punches each (in, break
start, break end, out) with lateness, a missing clock-out now and then, repeated taps and
absences; a tenth of the people work an outsourced client's queue. Part 1 runs
timeclock/attendance.py and timeclock/pay.py on plain objects and compares with a vectorised
numpy pass that only pairs each shift's IN and OUT and sums the hours (the floor: no rules at
all). Part 2 stores the month in the database named by DATABASE_URL + "_payrollbench"
(PostgreSQL by default, recreated), computes attendance + pay for the whole site from it as a
period close does (in a process of its own, as a worker would: not beside part 1's month in
memory), then stores the lines of a closed period (with the ADP and DATEV codes and
everyone's payroll numbers) and times every export format, each written twice to check the
bytes. Peak memory is the process's. Ends with one JSON line. Targets (issue 25) on the 2-core
machine: 10,000 employees from the database under 30 s, 1,000 under 5 s, every export under
10 s, under 2 GB.
"""

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from timeclock.attendance import PunchEvent, ScheduledBreak, ScheduledShift, attendance
from timeclock.pay import LatenessMode, PayLine, PayPolicy, pay_lines

FIRST = date(2026, 3, 2)  # a Monday; the month holds the European spring DST change
POLICY = PayPolicy(
    timezone="Europe/Amsterdam",
    minimum_hourly_wage=Decimal("14.71"),
    rounding_minutes=5,
    weekend_premium=Decimal("0.5"),
    lateness_mode=LatenessMode.PER_MINUTE,
    lateness_amount=Decimal("0.25"),
)


def month(
    employees: int, days: int, seed: int = 7
) -> list[tuple[list[ScheduledShift], list[PunchEvent]]]:
    rng = random.Random(seed)
    people = []
    for e in range(employees):
        shifts, punches = [], []
        rest = {rng.randrange(7), rng.randrange(7)}
        for d in range(days):
            day = FIRST + timedelta(days=d)
            if day.weekday() in rest or (len(rest) < 2 and day.weekday() >= 5):
                continue
            start = datetime(day.year, day.month, day.day, 7 + rng.randrange(8), tzinfo=UTC)
            end = start + timedelta(hours=8)
            lunch = ScheduledBreak(
                start + timedelta(hours=4), start + timedelta(hours=4, minutes=30)
            )
            sid = f"{e}-{d}"
            shifts.append(ScheduledShift(sid, start, end, (lunch,)))
            if rng.random() < 0.02:
                continue  # absent
            late = timedelta(minutes=rng.randrange(3, 30)) if rng.random() < 0.08 else timedelta(0)
            arrive = start - timedelta(minutes=rng.randrange(0, 8)) + late
            punches.append(PunchEvent(f"{sid}-i", "in", arrive))
            if rng.random() < 0.03:
                punches.append(PunchEvent(f"{sid}-i2", "in", arrive + timedelta(seconds=20)))
            punches.append(PunchEvent(f"{sid}-b", "break_start", lunch.start))
            punches.append(
                PunchEvent(f"{sid}-e", "break_end", lunch.end + timedelta(minutes=rng.randrange(3)))
            )
            if rng.random() > 0.01:
                punches.append(
                    PunchEvent(f"{sid}-o", "out", end + timedelta(minutes=rng.randrange(6)))
                )
        people.append((shifts, punches))
    return people


def floor_pass(people: list[tuple[list[ScheduledShift], list[PunchEvent]]]) -> tuple[float, float]:
    """Vectorised: hours = OUT - IN for the shifts that have both, summed; nothing else."""
    ins: dict[str, float] = {}
    outs: dict[str, float] = {}
    for _, punches in people:
        for p in punches:
            key = p.id.rsplit("-", 1)[0]
            if p.kind == "in":
                ins.setdefault(key, p.at.timestamp())
            elif p.kind == "out":
                outs[key] = p.at.timestamp()
    keys = [k for k in ins if k in outs]
    started = time.perf_counter()
    a = np.fromiter((ins[k] for k in keys), dtype=np.float64, count=len(keys))
    b = np.fromiter((outs[k] for k in keys), dtype=np.float64, count=len(keys))
    hours = float(np.sum(b - a) / 3600)
    return time.perf_counter() - started, hours


def compute(
    people: list[tuple[list[ScheduledShift], list[PunchEvent]]],
) -> tuple[float, list[list[PayLine]]]:
    started = time.perf_counter()
    results = []
    for shifts, punches in people:
        sheet = attendance(shifts, punches)
        results.append(pay_lines(timesheet=sheet, rate_per_hour=Decimal("17.2500"), policy=POLICY))
    return time.perf_counter() - started, results


def _from_database(
    people: list[tuple[list[ScheduledShift], list[PunchEvent]]],
    employees: list[Any],
    site: Any,
    days: int,
) -> dict[str, Any]:
    """The same month stored as published shifts and punches, then attendance + pay for the
    whole site read back from the database, as a period close does."""
    from scheduling.models import Roster, Shift, ShiftBreak
    from timeclock.models import Punch

    roster = Roster.objects.create(
        site=site,
        scope_key="site:bench",
        start_date=FIRST,
        days=days,
        version=1,
        status="published",
    )
    from organisation.models import Queue

    client = Queue.objects.create(site=site, name="Acme line", client_name="Acme Inc")
    batch = uuid.uuid4()
    pairs = list(zip(employees, people, strict=True))
    for chunk in range(0, len(pairs), 500):  # in chunks: the setup's own memory stays small
        shift_rows, break_rows, punch_rows = [], [], []
        for n, (employee, (shifts, punches)) in enumerate(pairs[chunk : chunk + 500], chunk):
            for s in shifts:
                row = Shift(
                    id=uuid.uuid4(),
                    roster=roster,
                    employee=employee,
                    queue=client if n % 10 == 0 else None,  # a tenth work for a client
                    start=s.start,
                    end=s.end,
                    local_date=s.start.date(),
                    state="published",
                )
                shift_rows.append(row)
                break_rows.extend(ShiftBreak(shift=row, start=b.start, end=b.end) for b in s.breaks)
            punch_rows.extend(
                Punch(
                    event_id=uuid.uuid4(),
                    body_sha256="",
                    employee=employee,
                    kind=p.kind,
                    occurred_at=p.at,
                    corrected_at=p.at,
                    received_at=p.at,
                    source="remote",
                    ingest_id=batch,
                )
                for p in punches
            )
        Shift.objects.bulk_create(shift_rows, batch_size=5000)
        ShiftBreak.objects.bulk_create(break_rows, batch_size=5000)
        Punch.objects.bulk_create(punch_rows, batch_size=5000)
    del pairs, shift_rows, break_rows, punch_rows
    gc.collect()
    from django.db import connection

    if connection.vendor == "postgresql":  # statistics, as a database in use has them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    connection.close()
    # Measured in a process of its own, as a worker computes a close: this one holds the
    # in-memory month of part 1 (1.5 GB at 10,000 people), which no worker does.
    child = subprocess.run(
        [sys.executable, __file__, "--from-database", str(site.pk), str(days)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ,
    )
    return json.loads(child.stdout.strip().splitlines()[-1])


def _measure_from_database(site_id: str, days: int) -> None:
    """The child: attendance + pay for the whole site from the database (period_lines, as
    a period close computes it); prints its figures as one JSON line."""
    _django_setup()
    from organisation.models import Site
    from timeclock.models import PayPeriod
    from timeclock.selectors.periods import period_lines

    site = Site.objects.get(pk=site_id)
    period = PayPeriod(site=site, start_date=FIRST, end_date=FIRST + timedelta(days=days - 1))
    profiler = None
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        profiler = cProfile.Profile()
        profiler.enable()
    started = time.perf_counter()
    lines = period_lines(period=period)
    seconds = time.perf_counter() - started
    if profiler is not None:
        import pstats

        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "attendance_and_pay_from_database_seconds": round(seconds, 2),
        "lines": sum(len(v) for v in lines.values()),
        "from_database_peak_rss_mb": round(peak, 1),
    }
    print(json.dumps(figures))


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    import django

    django.setup()


def export(results: list[list[PayLine]], days: int, people_rows: list[Any]) -> dict[str, Any]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wfm.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench")
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/wfm")
    url = base.rsplit("/", 1)[0] + "/" + base.rsplit("/", 1)[1] + "_payrollbench"
    os.environ["DATABASE_URL"] = url
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        name = url.rsplit("/", 1)[1]
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    from organisation.models import Employee, Site, Team
    from timeclock.models import PayLineRecord, PayPeriod
    from timeclock.services.payroll_exports import EXPORTERS as EXPORTS
    from timeclock.services.periods import pay_line_record_build

    site = Site.objects.create(
        name="Bench",
        timezone="Europe/Amsterdam",
        country_code="NL",
        currency="EUR",
        minimum_hourly_wage=Decimal("14.71"),
    )
    team = Team.objects.create(site=site, name="Bench")
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"b{n:05d}", first_name="Op", last_name=f"{n}")
            for n in range(len(results))
        ]
    )
    employees = Employee.objects.bulk_create(
        [
            Employee(
                user=u,
                number=f"B{n:05d}",
                team=team,
                employment_start=FIRST,
                hourly_rate=Decimal("17.25"),
            )
            for n, u in enumerate(users)
        ]
    )
    period = PayPeriod.objects.create(
        site=site, start_date=FIRST, end_date=FIRST + timedelta(days=days - 1), status="closed"
    )
    from timeclock.models import PayPolicy

    PayPolicy.objects.create(
        site=site,
        rounding_minutes=POLICY.rounding_minutes,
        weekend_premium=POLICY.weekend_premium,
        lateness_mode=str(POLICY.lateness_mode),
        lateness_amount=POLICY.lateness_amount,
    )
    from_database = _from_database(people_rows, employees, site, days)
    payslip_total = sum((line.amount for lines in results for line in lines), Decimal(0))
    PayLineRecord.objects.bulk_create(
        [
            _frozen(pay_line_record_build(period=period, employee_id=e.pk, line=line), e)
            for e, lines in zip(employees, results, strict=True)
            for line in lines
        ],
        batch_size=5000,
    )
    _payroll_codes(site, employees)
    timings, identical, files = {}, {}, {}
    for name, write in EXPORTS.items():
        started = time.perf_counter()
        files[name] = write(period=period)
        timings[name] = round(time.perf_counter() - started, 2)
        identical[name] = write(period=period) == files[name]
    csv_bytes = files["csv"]
    export_total = sum(Decimal(row.split(b",")[7].decode()) for row in csv_bytes.splitlines()[1:])
    lines_total = sum(PayLineRecord.objects.values_list("amount", flat=True), Decimal(0))
    return {
        **from_database,
        "export_minus_lines": str(export_total - lines_total),
        "export_minus_payslips": str(export_total - payslip_total),
        "lines_stored": PayLineRecord.objects.count(),
        "csv_rows": csv_bytes.count(b"\n") - 1,
        "export_seconds": timings,
        "slowest_export_seconds": max(timings.values()),
        "identical_on_re_export": identical,
        "bytes": {name: len(content) for name, content in files.items()},
    }


def _frozen(record: Any, employee: Any) -> Any:
    """The number and name on the line, as the close freezes them."""
    record.employee_number = employee.number
    record.employee_name = f"Op {employee.number}"
    return record


def _payroll_codes(site: Any, employees: list[Any]) -> None:
    """The site's ADP and DATEV accounts, a code for every pay code, a number for everyone."""
    from timeclock.models import EarningsCode, EmployeePayrollIds, PayrollSiteAccount
    from timeclock.pay import PayCode

    PayrollSiteAccount.objects.create(
        site=site,
        adp_company_code="BEN",
        adp_batch_id="B1",
        datev_consultant_number="1234567",
        datev_client_number="12345",
    )
    EarningsCode.objects.bulk_create(
        EarningsCode(site=site, system=system, pay_code=code.value, code=f"{n + 100}", kind=kind)
        for system in ("adp", "datev")
        for n, code in enumerate(PayCode)
        for kind in ["hours" if code in (PayCode.REGULAR, PayCode.OVERTIME) else "amount"]
    )
    EmployeePayrollIds.objects.bulk_create(
        EmployeePayrollIds(
            employee=e,
            adp_file_number=f"{n + 1:06d}",
            datev_personnel_number=f"{n + 1:05d}",
            cost_centre=f"K{n % 20}",
        )
        for n, e in enumerate(employees)
    )


def main() -> None:
    if sys.argv[1:2] == ["--from-database"]:
        _measure_from_database(sys.argv[2], int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=10000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--no-export", action="store_true")
    args = parser.parse_args()
    people = month(args.employees, args.days)
    shifts = sum(len(s) for s, _ in people)
    punches = sum(len(p) for _, p in people)
    floor_seconds, floor_hours = floor_pass(people)
    seconds, results = compute(people)
    lines = sum(len(r) for r in results)
    gross = sum((line.amount for r in results for line in r), Decimal(0))
    figures: dict[str, Any] = {
        "employees": args.employees,
        "shifts": shifts,
        "punches": punches,
        "attendance_and_pay_seconds": round(seconds, 2),
        "pay_lines": lines,
        "gross": str(gross),
        "floor_numpy_seconds": round(floor_seconds, 4),
        "ratio_to_floor": round(seconds / max(floor_seconds, 1e-9), 1),
        "floor_hours": round(floor_hours, 1),
    }
    print(f"{args.employees} employees, {shifts} shifts, {punches} punches")
    print(f"attendance + pay: {seconds:.2f} s ({lines} lines, gross {gross})")
    print(f"numpy floor (IN/OUT pairing only): {floor_seconds:.4f} s")
    if not args.no_export:
        figures["export"] = export(results, args.days, people)
        found = figures["export"]
        seconds = found["attendance_and_pay_from_database_seconds"]
        print(f"attendance + pay from the database: {seconds} s ({found['lines']} lines)")
        print(f"{'export':<10} {'seconds':>8} {'bytes':>12}  identical again")
        for name, seconds in found["export_seconds"].items():
            same = found["identical_on_re_export"][name]
            print(f"{name:<10} {seconds:>8.2f} {found['bytes'][name]:>12}  {same}")
        print(f"export total - lines: {found['export_minus_lines']}")
    peaks = [
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    ]
    figures["peak_rss_mb"] = round(max(peaks) / 1024, 1)  # this process or the measuring child
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
