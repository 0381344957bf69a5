"""Organisation models: sites, teams, queues, employees; jobs, the audit trail, notices."""

from organisation.models.audit import AuditEvent
from organisation.models.jobs import Job
from organisation.models.logins import LoginTries
from organisation.models.notices import Notice
from organisation.models.organisation import Employee, Queue, Site, Team
from organisation.models.pay_rates import PayRate
from organisation.models.proficiency import Proficiency, QueueProficiency

__all__ = [
    "AuditEvent",
    "Employee",
    "Job",
    "LoginTries",
    "Notice",
    "PayRate",
    "Proficiency",
    "Queue",
    "QueueProficiency",
    "Site",
    "Team",
]
