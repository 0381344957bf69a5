"""ADP Workforce Now paydata import (the "EPI" CSV): per employee the regular and overtime
hours in their own columns, every other pay code as coded hours or a coded earnings amount.

Written from ADP's published descriptions of the layout:
- ADP, "ADP Workforce Now: Importing Paydata", version 7.1 (2014), chapter 3, "Understanding
  Paydata Import Files": a header row naming the columns, one or more rows per employee;
  (https://vdocuments.net/importing-paydata-timesheet-mobile-paydata-version-71-llc-5-importing-paydata.html)
- ADP Marketplace, "Automated Paydata Integration for ADP Workforce Now", features: a
  header-based .csv whose first three columns are Co Code, Batch ID and File # (all required),
  then Reg Hours, O/T Hours, Hours 3 Code and Amount, Earnings 3 Code and Amount, ...
  (https://apps.adp.com/en-US/apps/372723/automated-paydata-integration-for-adp-workforce-now/features)
- the file is named PR<company code>EPI.csv (ADP's naming for one paydata file, as the
  integrations document it, e.g. https://support.timeportal.io/hc/en-us/articles/23838801956887).
Rules kept here: the company code and batch id on every row; an employee's regular and
overtime hours on their first row (ADP prices them at the employee's rate and overtime
factor); every other pay code by its mapped code, as Hours 3 (the hours, ADP prices them) or
Earnings 3 (our amount, negative for fines), one code per column pair, further codes on further
rows of the same file number. Hours and amounts with two decimals and a point. Where an
employee's period held two hourly rates (a raise in the middle of it), their hours go on one
group of rows per rate with that rate in a last column, Temp Rate (ADP's field for hours paid
at a rate other than the one on file: the Marketplace list above; also e.g.
https://sundialtimesystems.freshdesk.com/support/solutions/articles/1000241796), four
decimals; a file where nobody's did has no such column (the same bytes as before).
"""

from decimal import Decimal
from itertools import groupby, zip_longest

from timeclock.exports.coded import CodedTotal, coded_totals, site_account
from timeclock.exports.stable import csv_bytes
from timeclock.models import EarningsCode, PayPeriod, PayrollSystem
from timeclock.pay import PayCode, hours_of

ADP_COLUMNS = [
    "Co Code",
    "Batch ID",
    "File #",
    "Reg Hours",
    "O/T Hours",
    "Hours 3 Code",
    "Hours 3 Amount",
    "Earnings 3 Code",
    "Earnings 3 Amount",
]
HOURS, AMOUNT = EarningsCode.Kind.HOURS, EarningsCode.Kind.AMOUNT
FIXED = frozenset({PayCode.REGULAR.value, PayCode.OVERTIME.value})
TEMP_RATE = "Temp Rate"  # only in a file where someone's period held two rates


def adp_file_name(*, period: PayPeriod) -> str:
    account = site_account(period=period, system=PayrollSystem.ADP)
    return f"PR{account.adp_company_code}EPI.csv"


def adp_paydata_csv(*, period: PayPeriod) -> bytes:
    """The period's paydata batch for ADP Workforce Now, or a refusal naming what is missing
    (the site's company code or batch, a pay code's ADP code, an employee's file number)."""
    account = site_account(period=period, system=PayrollSystem.ADP)
    totals = coded_totals(period=period, system=PayrollSystem.ADP, fixed=FIXED)
    head = [account.adp_company_code, account.adp_batch_id]
    rated = any(t.base_rate is not None for t in totals)
    rows: list[list[str]] = []
    for file_number, group in groupby(totals, key=lambda t: t.payroll_id):
        rows.extend([*head, file_number, *rest] for rest in _employee_rows(list(group), rated))
    return csv_bytes([*ADP_COLUMNS, TEMP_RATE] if rated else ADP_COLUMNS, rows)


def _employee_rows(totals: list[CodedTotal], rated: bool) -> list[list[str]]:
    """One employee's rows after the file number. Paid at one rate: regular and overtime
    hours on the first row, coded hours and earnings side by side on as many rows as the
    longer list needs (with an empty Temp Rate where the file has the column). Paid at two
    rates in the period: those rows for the hours of each rate, with it as the Temp Rate
    (ADP prices the row's hours at it, the overtime with its factor), then the rows of what
    takes no rate (earnings amounts), their Temp Rate empty."""
    if not any(t.base_rate is not None for t in totals):
        return _rows(totals, "" if rated else None, fixed=True)
    rows = []
    for rate in sorted({t.base_rate for t in totals if t.base_rate is not None}):
        mine = [t for t in totals if t.base_rate == rate]
        rows += _rows(mine, f"{rate:.4f}", fixed=any(t.pay_code in FIXED for t in mine))
    rest = [t for t in totals if t.base_rate is None]
    return rows + _rows(rest, "", fixed=any(t.pay_code in FIXED for t in rest))


def _rows(totals: list[CodedTotal], temp_rate: str | None, *, fixed: bool) -> list[list[str]]:
    """Regular and overtime hours on the first row (where `fixed`), coded hours and coded
    earnings side by side; `temp_rate` ends each row (None: the file has no such column)."""
    # Minutes summed, then rounded once (the hours ADP prices match the amounts we paid).
    regular = hours_of(sum(t.minutes for t in totals if t.pay_code == PayCode.REGULAR))
    overtime = hours_of(sum(t.minutes for t in totals if t.pay_code == PayCode.OVERTIME))
    coded = [t for t in totals if t.pay_code not in FIXED]
    hours = [(t.code, t.hours) for t in coded if t.kind == HOURS and t.hours]
    earnings = [(t.code, t.amount) for t in coded if t.kind == AMOUNT and t.amount]
    pairs = list(zip_longest(hours, earnings)) or ([(None, None)] if fixed else [])
    tail = [] if temp_rate is None else [temp_rate]
    rows = []
    for n, (hour, earning) in enumerate(pairs):
        columns = [f"{regular:.2f}", f"{overtime:.2f}"] if n == 0 and fixed else ["", ""]
        rows.append([*columns, *_pair(hour), *_pair(earning), *tail])
    return rows


def _pair(item: tuple[str, Decimal] | None) -> list[str]:
    return ["", ""] if item is None else [item[0], f"{item[1]:.2f}"]
