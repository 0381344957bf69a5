"""Scheduling models: call history, forecasts and staffing; shift templates, rosters, shifts;
operators' requests (swaps, open shifts, time off) and notices."""

from scheduling.models.forecasting import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    StaffingRequirement,
)
from scheduling.models.requests import (
    RequestPolicy,
    ShiftSwap,
    SwapEvent,
    TimeOffCapacity,
    TimeOffRequest,
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
    "RequestPolicy",
    "Roster",
    "RosterChange",
    "RosterNotice",
    "Shift",
    "ShiftBreak",
    "ShiftSwap",
    "ShiftTemplate",
    "StaffingRequirement",
    "SwapEvent",
    "TimeOffCapacity",
    "TimeOffRequest",
]
