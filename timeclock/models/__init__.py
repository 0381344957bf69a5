"""Time clock models: devices and punches, corrections and correction requests; pay policies,
pay periods, frozen pay lines and exports."""

from timeclock.models.acd import AcdInterval, AcdSource, AgentState
from timeclock.models.corrections import CorrectionRequest, PunchCorrection
from timeclock.models.fines import FineAcknowledgement, PointsCase
from timeclock.models.pay import (
    BillableHours,
    PayLineRecord,
    PayPeriod,
    PayPolicy,
    PayrollExport,
    PeriodAction,
)
from timeclock.models.payroll_codes import (
    EarningsCode,
    EmployeePayrollIds,
    PayrollSiteAccount,
    PayrollSystem,
)
from timeclock.models.punches import ClockPolicy, Device, PinAttempt, Punch, SecurityEvent

__all__ = [
    "AcdInterval",
    "AcdSource",
    "AgentState",
    "BillableHours",
    "ClockPolicy",
    "CorrectionRequest",
    "Device",
    "EarningsCode",
    "EmployeePayrollIds",
    "FineAcknowledgement",
    "PayLineRecord",
    "PayPeriod",
    "PayPolicy",
    "PayrollExport",
    "PayrollSiteAccount",
    "PayrollSystem",
    "PeriodAction",
    "PinAttempt",
    "PointsCase",
    "Punch",
    "PunchCorrection",
    "SecurityEvent",
]
