"""Scheduling services, one module per sub-domain: forecasting, rosters."""
