"""iCalendar (RFC 5545) text for an operator's shifts, in the site's time zone.

Pure: stdlib only. Events carry local times with a TZID, and the VTIMEZONE lists the exact
offset changes of the feed's span (found from zoneinfo), so clients need no zone database.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime  # aware
    end: datetime  # aware
    summary: str
    description: str = ""
    sequence: int = 0
    location: str = ""  # a classroom session's room, or "Online"


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> list[str]:
    """Lines of at most 75 octets, continuation lines start with a space."""
    out: list[str] = []
    current = ""
    for char in line:
        if len((current + char).encode()) > (75 if not out else 74):
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return [out[0], *(" " + part for part in out[1:])]


def _offset(delta: timedelta | None) -> str:
    minutes = int((delta or timedelta(0)).total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"


def transitions(zone: ZoneInfo, start: datetime, end: datetime) -> list[datetime]:
    """UTC instants where the zone's offset changes in [start, end), to the minute."""
    found = []
    t = start.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    step = timedelta(hours=6)
    while t < end:
        nxt = t + step
        if t.astimezone(zone).utcoffset() != nxt.astimezone(zone).utcoffset():
            low, high = t, nxt
            while high - low > timedelta(minutes=1):
                mid = low + (high - low) / 2
                if mid.astimezone(zone).utcoffset() == low.astimezone(zone).utcoffset():
                    low = mid
                else:
                    high = mid
            found.append(high.replace(second=0, microsecond=0))
        t = nxt
    return found


@dataclass(frozen=True)
class _Observance:
    instant: datetime  # when the offset takes effect
    offset_before: timedelta | None
    local: datetime  # the instant in the zone, carrying the new offset and name


def vtimezone(tz: str, start: datetime, end: datetime) -> list[str]:
    zone = ZoneInfo(tz)
    first = start.astimezone(zone)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tz}"]
    observances = [_Observance(start, first.utcoffset(), first)]
    for instant in transitions(zone, start, end):
        before = (instant - timedelta(minutes=1)).astimezone(zone).utcoffset()
        observances.append(_Observance(instant, before, instant.astimezone(zone)))
    for o in observances:
        kind = "DAYLIGHT" if o.local.dst() else "STANDARD"
        wall = (o.instant.astimezone(UTC) + (o.offset_before or timedelta(0))).replace(tzinfo=None)
        lines += [
            f"BEGIN:{kind}",
            f"DTSTART:{wall:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_offset(o.offset_before)}",
            f"TZOFFSETTO:{_offset(o.local.utcoffset())}",
            f"TZNAME:{o.local.tzname()}",
            f"END:{kind}",
        ]
    return [*lines, "END:VTIMEZONE"]


def calendar_text(
    *,
    name: str,
    tz: str,
    events: Sequence[CalendarEvent],
    now: datetime,
    span: tuple[datetime, datetime],
) -> str:
    zone = ZoneInfo(tz)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//WFM//Roster feed//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
        f"X-WR-TIMEZONE:{tz}",
        *vtimezone(tz, span[0], span[1]),
    ]
    stamp = f"{now.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"SEQUENCE:{event.sequence}",
            f"DTSTART;TZID={tz}:{event.start.astimezone(zone):%Y%m%dT%H%M%S}",
            f"DTEND;TZID={tz}:{event.end.astimezone(zone):%Y%m%dT%H%M%S}",
            f"SUMMARY:{_escape(event.summary)}",
            f"DESCRIPTION:{_escape(event.description)}",
            *([f"LOCATION:{_escape(event.location)}"] if event.location else []),
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(part + "\r\n" for line in lines for part in _fold(line))
