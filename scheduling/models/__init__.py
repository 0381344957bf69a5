"""Scheduling models: call history, forecasts and staffing; shift templates, rosters, shifts."""

from scheduling.models.forecasting import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    StaffingRequirement,
)

__all__ = [
    "CallVolume",
    "ForecastOverride",
    "ForecastRun",
    "HistoryImport",
    "StaffingRequirement",
]
