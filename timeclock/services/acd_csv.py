"""Import of an ACD interval export (CSV) for one queue: the common Avaya CMS / Genesys
layout of one row per interval with its start, offered, handled, abandoned, ASA, AHT and
service level, stored as interval statistics exactly once (a re-import is all duplicates).

Column meanings, as the vendors define them:
- Avaya CMS / BCMS split reports: "ACD CALLS" are the calls handled, "AVG SPEED ANS" the
  average queue and ring time of the answered calls, "% IN SERV LEVL" the share of the
  answered calls connected within the service-level limit (abandoned calls not counted)
  (Avaya BCMS User's Manual, issue 5.0, 2005, "Header definitions" and "Appendix A: BCMS/CMS
  report heading comparison"; AT&T CMS User's Guide, "Calls Handled ASA", "Service Levl").
- NICE IEX's CT queue export writes each period's start in the centre's time zone and does
  not tell the two autumn periods of the same wall time apart
  (help.nicecxone.com, "CT Queue Data Export Module"): so every start here must carry its
  UTC offset, and a row without one is refused rather than guessed.
Sums are rebuilt from the averages: handle seconds = AHT x handled, wait seconds = ASA x
handled, answered within the goal = service level % x handled.
"""

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.dateparse import parse_datetime

from organisation.audit import audit_record
from organisation.models import Site
from timeclock.errors import AcdFileInvalid, AcdFileTooLarge, AcdUnknownQueue
from timeclock.services.acd import AcdIntervalInput, AcdResult, _queues, acd_intervals_ingest

NAMESPACE = uuid.UUID("6f1d2c7e-3b7a-4c55-9a43-2f8e1d0a7c11")
MAX_ROWS = 20_000
MAX_BYTES = 4 * 1024 * 1024  # an uploaded export is read whole: capped before reading
MAX_SECONDS_PER_CALL = 86_400  # an ASA or AHT above a day is a broken cell
COLUMNS = {
    "interval_start": ("interval_start", "interval start", "interval", "start", "period", "time"),
    "offered": ("offered", "calls offered", "calls_offered", "offer", "inbound calls"),
    "handled": ("handled", "answered", "acd calls", "calls handled", "calls_handled", "answer"),
    "abandoned": ("abandoned", "aband calls", "abn calls", "abandon", "calls abandoned"),
    "asa": ("asa", "avg speed ans", "average speed of answer", "asa_seconds"),
    "aht": ("aht", "avg handle time", "average handle time", "aht_seconds"),
    "service_level": (
        "service level",
        "service_level",
        "sl",
        "% in serv levl",
        "% within service level",
        "service level %",
    ),
}
REQUIRED = ("interval_start", "handled", "abandoned", "asa", "aht", "service_level")


@dataclass(frozen=True)
class ImportedRow:
    line: int
    result: AcdResult


class RowInvalid(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower() for h in header]
    found = {}
    for key, aliases in COLUMNS.items():
        for n, name in enumerate(names):
            if name in aliases:
                found[key] = n
                break
    missing = [key for key in REQUIRED if key not in found]
    if missing:
        raise AcdFileInvalid(
            f"Columns missing: {', '.join(missing)}. Expected a header naming the interval "
            "start, offered, handled, abandoned, ASA, AHT and service level.",
            extra={"missing": missing},
        )
    return found


def _decimal(text: str, name: str, what: str, *, thousands_ambiguous: bool) -> Decimal:
    """A number, with a decimal point or a decimal comma (`12,5`, as Dutch and German exports
    write it). Where a thousands separator is possible (`1,234` seconds), a comma followed by
    three digits is refused as ambiguous rather than guessed."""
    if text.count(",") == 1 and "." not in text:
        whole, fraction = text.split(",")
        if thousands_ambiguous and len(fraction) == 3:
            raise RowInvalid(
                "invalid",
                f"{name}: {text!r} could be a decimal comma or a thousands separator: "
                "write it without the comma, or with a decimal point",
            )
        text = f"{whole}.{fraction}"
    try:
        return Decimal(text)
    except InvalidOperation:
        raise RowInvalid("invalid", f"{name}: not {what}: {text!r}") from None


def _seconds(text: str, name: str, most: Decimal = Decimal(MAX_SECONDS_PER_CALL)) -> Decimal:
    """Seconds as a number (a decimal comma read), or as m:ss / h:mm:ss."""
    text = text.strip()
    what = "a number of seconds (or m:ss)"
    if ":" in text:
        total = Decimal(0)
        for part in text.split(":"):
            total = total * 60 + _decimal(part, name, what, thousands_ambiguous=False)
        value = total
    else:
        value = _decimal(text, name, what, thousands_ambiguous=True)
    return _bounded(value, name, most)


def _bounded(value: Decimal, name: str, most: Decimal) -> Decimal:
    if not value.is_finite() or value < 0:  # NaN first: comparing it raises
        raise RowInvalid("invalid", f"{name}: must be zero or more")
    if value > most:
        raise RowInvalid("invalid", f"{name}: at most {most}")
    return value


def _count(text: str, name: str) -> int:
    try:
        value = int(text.strip())
    except ValueError:
        raise RowInvalid("invalid", f"{name}: not a whole number: {text!r}") from None
    if not 0 <= value < 2**31:
        raise RowInvalid("invalid", f"{name}: out of range")
    return value


def _percent(text: str) -> Decimal:
    """A percentage, 0-100, with or without `%`, with a decimal point or comma (`80,5%`)."""
    name = "service level"
    value = _decimal(
        text.strip().rstrip("%").strip(), name, "a percentage", thousands_ambiguous=False
    )
    return _bounded(value, name, Decimal(100))


def _start(text: str) -> datetime:
    try:
        moment = parse_datetime(text.strip())
    except ValueError:
        moment = None
    if moment is None:
        raise RowInvalid("invalid", f"interval start: not a date and time: {text!r}")
    if moment.tzinfo is None:
        raise RowInvalid("naive", "interval start: give the UTC offset, e.g. +01:00")
    return moment


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def acd_csv_row(
    cells: list[str], columns: dict[str, int], *, queue_key: str, interval_minutes: int
) -> AcdIntervalInput:
    """One export row as interval statistics (RowInvalid when a cell is unreadable)."""

    def cell(key: str) -> str:
        n = columns.get(key)
        return cells[n] if n is not None and n < len(cells) else ""

    start = _start(cell("interval_start"))
    handled = _count(cell("handled"), "handled")
    abandoned = _count(cell("abandoned"), "abandoned")
    offered = _count(cell("offered"), "offered") if cell("offered").strip() else handled + abandoned
    asa, aht = _seconds(cell("asa"), "ASA"), _seconds(cell("aht"), "AHT")
    share = _percent(cell("service_level"))
    fields: dict[str, Any] = {
        "queue": queue_key,
        "interval_start": start,
        "interval_minutes": interval_minutes,
        "offered": offered,
        "answered": handled,
        "abandoned": abandoned,
        "answered_within_goal": _round(share * handled / 100),
        "handle_seconds": _round(aht * handled),
        "wait_seconds": _round(asa * handled),
    }
    counts = [str(v) for v in list(fields.values())[2:]]
    key = "|".join([queue_key, start.astimezone(UTC).isoformat(), *counts])
    return AcdIntervalInput(event_id=uuid.uuid5(NAMESPACE, key), **fields)


def acd_file_read(upload: Any) -> bytes:
    """An uploaded export's bytes; AcdFileTooLarge, unread, above MAX_BYTES."""
    if upload.size > MAX_BYTES:
        raise AcdFileTooLarge(extra={"max_bytes": MAX_BYTES})
    content: bytes = upload.read()
    return content


def acd_csv_import(
    *, site: Site, queue: str, content: bytes, interval_minutes: int, user: Any
) -> list[ImportedRow]:
    """Read the file and store its rows; a result per data row with its line number. A row
    that cannot be read is refused alone; the others are stored (one transaction)."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AcdFileInvalid("The file is not UTF-8 text.") from None
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = next(reader, None)
    if not header:
        raise AcdFileInvalid("The file is empty.")
    columns = _columns(header)
    if _queues(site, {queue}).get(queue) is None:
        raise AcdUnknownQueue(
            f"No queue of this site has the name or id {queue!r}: nothing was imported.",
            extra={"queue": queue},
        )
    parsed: list[tuple[int, AcdIntervalInput | RowInvalid]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(parsed) >= MAX_ROWS:
            raise AcdFileInvalid(f"At most {MAX_ROWS} rows a file.")
        try:
            row: AcdIntervalInput | RowInvalid = acd_csv_row(
                cells, columns, queue_key=queue, interval_minutes=interval_minutes
            )
        except RowInvalid as problem:
            row = problem
        parsed.append((reader.line_num, row))
    good = [(line, row) for line, row in parsed if isinstance(row, AcdIntervalInput)]
    stored = iter(
        acd_intervals_ingest(items=[row for _, row in good], site=site, device=None, source="csv")
    )
    results = [
        ImportedRow(
            line,
            AcdResult("", "refused", {"code": row.code, "message": row.message})
            if isinstance(row, RowInvalid)
            else next(stored),
        )
        for line, row in parsed
    ]
    accepted = sum(r.result.status == "accepted" for r in results)
    audit_record(
        actor=user,
        action="acd_csv_import",
        object_type="site",
        object_id=str(site.pk),
        data={"queue": queue, "rows": len(results), "accepted": accepted},
    )
    return results
