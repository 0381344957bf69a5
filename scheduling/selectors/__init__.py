"""Scheduling selectors, one module per sub-domain: forecasting, rosters."""
