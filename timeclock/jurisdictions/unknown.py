"""A country the product has no pack for: fines off (the stricter way, since whether a fine
is lawful there is not known), pay for time worked unchanged."""

from timeclock.jurisdictions.rules import Pack

PACK = Pack(
    code="UNKNOWN",
    version="2026-12-05",
    name="No rule pack for this country",
    sources=(),
    fines_allowed=False,
    article="",
    workweek_floor=True,
)
