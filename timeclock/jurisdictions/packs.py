"""Which pack a site's country (and US state) selects."""

from dataclasses import replace

from timeclock.jurisdictions import nl, unknown, us_federal, us_ny
from timeclock.jurisdictions.rules import Pack

PACKS: dict[str, Pack] = {p.code: p for p in (nl.PACK, us_federal.PACK, us_ny.PACK, unknown.PACK)}


def pack_for(country_code: str, us_state: str = "") -> Pack:
    """The pack of a site: NL; US-NY for a New York site; US (federal) for any other US
    state; for any other country the unknown pack (fines off), naming the country."""
    country, state = country_code.strip().upper(), us_state.strip().upper()
    if country == "US":
        return us_ny.PACK if state == "NY" else us_federal.PACK
    if country in PACKS:
        return PACKS[country]
    return replace(unknown.PACK, country=country)
