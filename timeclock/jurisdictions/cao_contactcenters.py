"""The Dutch contact-centre agreement's unsocial-hours premiums as a pay policy preset.

Agreement: Collectieve Arbeidsovereenkomst Facilitaire Contactcenters. The 2024 text (1 January
to 31 December 2024, declared generally binding from 16 March 2024: klantenservicefederatie.nl,
"CAO Facilitaire Contactcenters 2024 per 16 maart algemeen verbindend verklaard") has
"Artikel 22 Toeslag voor werken op ongebruikelijke tijdstippen" (table of contents at
lawinsider.com/nl/contracts/ipNysnRwNCu). The agreement in force today runs from 1 January
2025 to 1 January 2028 (CNV, "Akkoord over 3-jarige cao voor callcenter-medewerkers").

NOT FOUND: the search tool gave neither article's windows nor its percentages, for 2024 or
2025-2027. None is invented here: every figure is None, and applying the preset asks the
payroll officer to enter each one from the agreement's text (the policy page says so). What
the preset does fix: the five kinds of unsocial hours the engine pays apart (evening, night,
Saturday, Sunday, public holiday) and the site's public-holiday calendar (the `holidays`
package, by the site's country, as every policy already uses).
"""

from dataclasses import dataclass
from datetime import time
from decimal import Decimal


@dataclass(frozen=True)
class UnsocialHoursPreset:
    """The premiums of an agreement; None where the figure is not known to the product."""

    name: str
    version: str
    article: str
    sources: tuple[str, ...]
    evening_start: time | None = None
    evening_end: time | None = None
    evening_premium: Decimal | None = None  # share of the rate, 0.25 = +25 %
    night_start: time | None = None
    night_end: time | None = None
    night_premium: Decimal | None = None
    saturday_premium: Decimal | None = None
    sunday_premium: Decimal | None = None
    holiday_premium: Decimal | None = None

    def missing(self) -> tuple[str, ...]:
        """The policy fields the preset cannot fill: the officer enters them."""
        return tuple(name for name in PRESET_FIELDS if getattr(self, name) is None)


PRESET_FIELDS = (
    "evening_start",
    "evening_end",
    "evening_premium",
    "night_start",
    "night_end",
    "night_premium",
    "saturday_premium",
    "sunday_premium",
    "holiday_premium",
)

CAO_CONTACTCENTERS = UnsocialHoursPreset(
    name="Cao Facilitaire Contactcenters",
    version="2025-2027 (in force 1 January 2025 to 1 January 2028)",
    article="art. 22 Toeslag voor werken op ongebruikelijke tijdstippen (2024 numbering)",
    sources=(
        "Cao Facilitaire Contactcenters 2024, art. 22 (table of contents, lawinsider.com)",
        "CNV: Akkoord over 3-jarige cao voor callcenter-medewerkers (2025-2027)",
    ),
)
