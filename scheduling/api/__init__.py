"""Scheduling api, one module per sub-domain: forecasting, rosters."""
