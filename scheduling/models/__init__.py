"""Scheduling models: call history, forecasts and staffing; shift templates, rosters, shifts."""

from scheduling.models.forecasting import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    StaffingRequirement,
)
from scheduling.models.rosters import (
    Activity,
    AvailabilityBlock,
    CalendarFeed,
    Roster,
    RosterChange,
    RosterNotice,
    Shift,
    ShiftBreak,
    ShiftTemplate,
)

__all__ = [
    "Activity",
    "AvailabilityBlock",
    "CalendarFeed",
    "CallVolume",
    "ForecastOverride",
    "ForecastRun",
    "HistoryImport",
    "Roster",
    "RosterChange",
    "RosterNotice",
    "Shift",
    "ShiftBreak",
    "ShiftTemplate",
    "StaffingRequirement",
]
