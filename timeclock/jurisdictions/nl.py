"""The Netherlands: fines under Burgerlijk Wetboek Boek 7, art. 7:650 (boetebeding).

Source: BW art. 7:650 leden 1-7 (text read at wetboekplus.nl/burgerlijk-wetboek-boek-7-
artikel-650-boete-op-overtreding-voorschriften-van-arbeidsovereenkomst/, consulted 2026-12-05):
lid 1 and 2: a fine only for breaking rules the written contract names, with the amount named;
lid 3: the contract names the fine's destination precisely, never the employer's own benefit;
lid 4: every fine is a set amount in the currency the wage is paid in;
lid 5: within a week the fines together are at most the wage for half a day, and no single
fine more; lid 6: only for an employee paid above the minimum wage may a written agreement
depart from leden 3-5. Time not worked is not paid (art. 7:627): docking late minutes is no
fine and stays allowed (the pay engine pays worked time only).
"""

from timeclock.jurisdictions.rules import Pack

ARTICLE = "BW art. 7:650"

PACK = Pack(
    code="NL",
    version="2026-12-05",
    name="Netherlands: Burgerlijk Wetboek art. 7:650",
    sources=(
        "Burgerlijk Wetboek Boek 7, art. 7:650 leden 1-7 (boetebeding)",
        "Burgerlijk Wetboek Boek 7, art. 7:627 (geen loon voor niet verrichte arbeid)",
    ),
    fines_allowed=True,
    article=ARTICLE,
    fixed_amounts_only=True,
    needs_acknowledgement=True,
    destination_required=True,
    weekly_cap_half_day=True,
    cap_liftable_above_minimum=True,
    workweek_floor=False,
)
