"""Scheduling models: call history, forecasts and staffing; shift templates, rosters, shifts;
operators' requests (swaps, open shifts, time off) and notices."""

from scheduling.models.forecasting import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    StaffingRequirement,
)
from scheduling.models.intraday import IntradayOffer, IntradayOfferAcceptance
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
from scheduling.models.training import (
    ClassroomSession,
    Enrolment,
    Meeting,
    MentorPairing,
    ModuleCompletion,
    PlacedActivity,
    SessionAttendance,
    StudyModule,
    TrainingPolicy,
    TrainingProgramme,
)

__all__ = [
    "Activity",
    "AvailabilityBlock",
    "CalendarFeed",
    "CallVolume",
    "ClassroomSession",
    "Enrolment",
    "ForecastOverride",
    "ForecastRun",
    "HistoryImport",
    "IntradayOffer",
    "IntradayOfferAcceptance",
    "Meeting",
    "MentorPairing",
    "ModuleCompletion",
    "PlacedActivity",
    "RequestPolicy",
    "Roster",
    "RosterChange",
    "RosterNotice",
    "SessionAttendance",
    "Shift",
    "ShiftBreak",
    "ShiftSwap",
    "ShiftTemplate",
    "StaffingRequirement",
    "StudyModule",
    "SwapEvent",
    "TimeOffCapacity",
    "TimeOffRequest",
    "TrainingPolicy",
    "TrainingProgramme",
]
