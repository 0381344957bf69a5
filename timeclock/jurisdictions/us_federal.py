"""United States, federal (FLSA): deductions never take a workweek's pay below the minimum
wage, and never reach the overtime premium.

Sources: 29 CFR 531.35 (wages are paid "finally and unconditionally or 'free and clear'"; a
deduction that brings pay below the minimum wage is not allowed); 29 CFR 778.307 (disciplinary
deductions may not cut into overtime compensation); 29 CFR 778.104 (each workweek stands
alone), https://www.law.cornell.edu/cfr/text/29/531.35 , /778.307 , /778.104 .
"""

from timeclock.jurisdictions.rules import Pack

ARTICLE = "29 CFR 531.35, 778.307"

PACK = Pack(
    code="US",
    version="2026-12-05",
    name="United States, federal: FLSA, 29 CFR 531.35 free and clear",
    sources=("29 CFR 531.35", "29 CFR 778.307", "29 CFR 778.104"),
    fines_allowed=True,
    article=ARTICLE,
    workweek_floor=True,
)
