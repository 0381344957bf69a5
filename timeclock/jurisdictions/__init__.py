"""Jurisdiction rule packs: which fines a site's pay policy may set and how far a computed week
may deduct them, one pure, versioned module per pack (nl, us_federal, us_ny, unknown), the
engine that caps pay lines and checks policies in `rules`. No Django; mypy strict."""
