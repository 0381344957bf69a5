"""Call history, forecasts, staffing requirements, shift templates, rosters, swaps, time off."""
