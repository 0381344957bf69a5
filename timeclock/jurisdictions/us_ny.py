"""New York State: no fines for lateness or absence; docking pay for time not worked stays.

Sources: New York Labor Law section 193(1): no deduction from wages except those made under a
law or rule, or authorised in writing for the employee's benefit (insurance, pensions,
charity, union dues and the like); 12 NYCRR 195-4.5 lists as prohibited deductions "(e) fines
or penalties for tardiness, excessive leave, misconduct, quitting without notice"; the minimum
wage order 12 NYCRR 142-2.10(a)(3) names "fines or penalties for lateness, misconduct or
quitting by an employee without notice" as prohibited. Read at law.justia.com/codes/new-york/
2013/lab/article-6/193/ and govt.westlaw.com (12 CRR-NY 195-4.5), consulted 2026-12-05.
Not paying minutes not worked is no deduction from wages earned: the pay engine pays worked
time only, so a late arrival's minutes stay unpaid. The federal floor applies as well.
"""

from timeclock.jurisdictions.rules import Pack

ARTICLE = "NY Labor Law s. 193; 12 NYCRR 195-4.5(e)"

PACK = Pack(
    code="US-NY",
    version="2026-12-05",
    name="New York State: Labor Law s. 193, 12 NYCRR part 195",
    sources=(
        "New York Labor Law section 193(1)",
        "12 NYCRR 195-4.5(e)",
        "12 NYCRR 142-2.10(a)(3)",
        "29 CFR 531.35",
    ),
    fines_allowed=False,
    article=ARTICLE,
    workweek_floor=True,
)
