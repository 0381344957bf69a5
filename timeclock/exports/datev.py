"""DATEV LODAS ASCII import of movement data (Bewegungsdaten): per employee and pay code one
booking with the period, the personnel number, the wage type (Lohnart), the processing key
(hours or amount), the value and the cost centre.

Written from DATEV's published description, "LODAS: ASCII-Importdatei / Schnittstellen-
beschreibung ASCII-Import" (DATEV Hilfe-Center, LODAS ASCII-Import, Fach 2: sections
[Allgemein] with Ziel=LODAS, Version_SST, BeraterNr, MandantenNr, Datumsformat,
Feldtrennzeichen, Zahlenkomma; [Satzbeschreibung] declaring a record type by number, table
u_lod_bwd_buchung_standard and its fields abrechnung_zeitraum#bwd, pnr#bwd, la_eigene#bwd,
bs_nr#bwd, bs_wert_butab#bwd, kostenstelle#bwd; [Bewegungsdaten] with one line per booking,
each field ended by the separator): DATEV, "LODAS ASCII-Import" (94th edition, June 2026),
https://help-center.apps.datev.de/api/amr/knowledge-common/v1/entities/st81064830359671307_de.pdf
(known here through the sections, keys and fields other implementations quote from it; the
PDF itself was not readable from here), and the import documentation of LODAS exporters
(e.g. https://hilfe.e2n.de/datev-lodas: personnel number, period, hours, own wage type, cost
centre).
Rules kept here: BeraterNr and MandantenNr from the site's account; dates TT/MM/JJJJ; the
period (abrechnung_zeitraum) is the first day of the month the pay period ends in (LODAS
books by month); numbers with a decimal comma and two decimals; processing key 1 (hours)
where the wage type takes hours, 4 (amount) where it takes our amount (the keys LODAS
exporters use for own wage types; confirm them with the tax adviser's wage types); lines end
in CR LF; only ASCII is written (numbers and codes). Where an employee's period held two
hourly rates (a raise in the middle of it), their bookings of hours are one per rate, each
with the rate in force on its days as the deviating wage factor (abw_lohnfaktor#bwd, LODAS's
field for hours of one booking paid at a factor other than the one on file; decimal comma,
four decimals), in a record type of their own (11) declared only in such a file: a file
where nobody's period held two rates is the same bytes as before.
"""

from decimal import Decimal

from timeclock.exports.coded import coded_totals, site_account
from timeclock.models import EarningsCode, PayPeriod, PayrollSystem

RECORD = "10"
RECORD_FIELDS = (
    "abrechnung_zeitraum#bwd;pnr#bwd;la_eigene#bwd;bs_nr#bwd;bs_wert_butab#bwd;kostenstelle#bwd;"
)
PROCESSING_KEY = {EarningsCode.Kind.HOURS: "1", EarningsCode.Kind.AMOUNT: "4"}
# Hours at a rate other than the one LODAS keeps for the person (a period with two rates):
# the same booking with the rate in force as the deviating wage factor (abw_lohnfaktor).
RATED_RECORD = "11"
RATED_FIELDS = RECORD_FIELDS + "abw_lohnfaktor#bwd;"


def datev_lodas_txt(*, period: PayPeriod) -> bytes:
    """The period's movement data for DATEV LODAS, or a refusal naming what is missing (the
    site's consultant or client number, a pay code's wage type, a personnel number)."""
    account = site_account(period=period, system=PayrollSystem.DATEV)
    totals = coded_totals(period=period, system=PayrollSystem.DATEV)
    month = period.end_date.replace(day=1).strftime("%d/%m/%Y")
    lines = [
        "[Allgemein]",
        "Ziel=LODAS",
        "Version_SST=1.0",
        f"BeraterNr={account.datev_consultant_number}",
        f"MandantenNr={account.datev_client_number}",
        "Datumsformat=TT/MM/JJJJ",
        "Feldtrennzeichen=;",
        "Zahlenkomma=,",
        "",
        "[Satzbeschreibung]",
        f"{RECORD};u_lod_bwd_buchung_standard;{RECORD_FIELDS}",
    ]
    if any(t.base_rate is not None for t in totals):
        lines.append(f"{RATED_RECORD};u_lod_bwd_buchung_standard;{RATED_FIELDS}")
    lines += ["", "[Bewegungsdaten]"]
    for t in totals:
        value = t.hours if t.kind == EarningsCode.Kind.HOURS else t.amount
        if not value:
            continue
        key = PROCESSING_KEY[EarningsCode.Kind(t.kind)]
        booking = f"{month};{t.payroll_id};{t.code};{key};{_number(value)};{t.cost_centre};"
        if t.base_rate is None:
            lines.append(f"{RECORD};{booking}")
        else:
            lines.append(f"{RATED_RECORD};{booking}{_number(t.base_rate, 4)};")
    return ("\r\n".join(lines) + "\r\n").encode("ascii")


def _number(value: Decimal, places: int = 2) -> str:
    return f"{value:.{places}f}".replace(".", ",")
