"""Routes of /api/v1/ that the organisation app owns, and the API root listing them."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.views import APIView

from organisation.api import account, jobs, notices, organisation
from scheduling.api import forecasting as scheduling
from scheduling.api import (
    intraday_offers,
    requests,
    roster_inputs,
    rosters,
    shifts,
    swaps,
    time_off,
    training,
)
from timeclock.api import (
    acd,
    correction_requests,
    corrections,
    devices,
    intraday,
    pay_policies,
    periods,
    points_cases,
    punches,
    timesheets,
)
from wfm.api import approvals


class ApiRootApi(APIView):
    """Index of the collections under /api/v1/."""

    @extend_schema(tags=["account"], responses={200: dict})
    def get(self, request: Request) -> Response:
        names = [
            "sites",
            "teams",
            "queues",
            "employees",
            "forecasts",
            "staffing",
            "shift-templates",
            "availability",
            "rosters",
            "me",
            "my-shifts",
            "swaps",
            "open-shifts",
            "time-off",
            "approvals",
            "my-correction-requests",
            "training-programmes",
            "training-enrolments",
            "training-meetings",
        ]
        return Response({name: reverse(f"api:{name}", request=request) for name in names})


app_name = "api"
urlpatterns = [
    path("", ApiRootApi.as_view(), name="root"),
    # Training new operators (issue 24).
    path("training/programmes", training.ProgrammeListApi.as_view(), name="training-programmes"),
    path(
        "training/programmes/<uuid:pk>",
        training.ProgrammeDetailApi.as_view(),
        name="training-programme",
    ),
    path(
        "training/programmes/<uuid:pk>/sessions",
        training.ProgrammeSessionApi.as_view(),
        name="training-programme-sessions",
    ),
    path(
        "training/programmes/<uuid:pk>/modules",
        training.ProgrammeModuleApi.as_view(),
        name="training-programme-modules",
    ),
    path(
        "training/programmes/<uuid:pk>/enrolments",
        training.ProgrammeEnrolApi.as_view(),
        name="training-programme-enrol",
    ),
    path("training/enrolments", training.EnrolmentListApi.as_view(), name="training-enrolments"),
    path(
        "training/enrolments/<uuid:pk>/progress",
        training.EnrolmentProgressApi.as_view(),
        name="training-progress",
    ),
    path(
        "training/enrolments/<uuid:pk>/sign-off",
        training.EnrolmentSignOffApi.as_view(),
        name="training-sign-off",
    ),
    path(
        "training/enrolments/<uuid:pk>/attended",
        training.EnrolmentAttendedApi.as_view(),
        name="training-attended",
    ),
    path(
        "training/enrolments/<uuid:pk>/modules-done",
        training.EnrolmentModuleDoneApi.as_view(),
        name="training-module-done",
    ),
    path("training/proficiency", training.ProficiencyApi.as_view(), name="training-proficiency"),
    path("training/meetings", training.MeetingListApi.as_view(), name="training-meetings"),
    path("auth/token", account.TokenObtainApi.as_view(), name="token"),
    path("me", account.MeApi.as_view(), name="me"),
    path("sites", organisation.SiteListApi.as_view(), name="sites"),
    path("sites/<uuid:pk>", organisation.SiteDetailApi.as_view(), name="site"),
    path("teams", organisation.TeamListApi.as_view(), name="teams"),
    path("teams/<uuid:pk>", organisation.TeamDetailApi.as_view(), name="team"),
    path("queues", organisation.QueueListApi.as_view(), name="queues"),
    path("queues/<uuid:pk>", organisation.QueueDetailApi.as_view(), name="queue"),
    path("employees", organisation.EmployeeListApi.as_view(), name="employees"),
    path("employees/<uuid:pk>", organisation.EmployeeDetailApi.as_view(), name="employee"),
    path("jobs/<uuid:pk>", jobs.JobDetailApi.as_view(), name="job"),
    path("jobs/<uuid:pk>/cancel", jobs.JobCancelApi.as_view(), name="job-cancel"),
    path("reports/headcount", jobs.HeadcountReportStartApi.as_view(), name="headcount-report"),
    path("queues/<uuid:pk>/history", scheduling.HistoryUploadApi.as_view(), name="history"),
    path("forecasts", scheduling.ForecastListApi.as_view(), name="forecasts"),
    path("forecast-overrides", scheduling.ForecastOverrideListApi.as_view(), name="overrides"),
    path(
        "forecast-overrides/<uuid:pk>",
        scheduling.ForecastOverrideDeleteApi.as_view(),
        name="override",
    ),
    path("staffing", scheduling.StaffingListApi.as_view(), name="staffing"),
    path("shift-templates", roster_inputs.ShiftTemplateListApi.as_view(), name="shift-templates"),
    path(
        "shift-templates/<uuid:pk>",
        roster_inputs.ShiftTemplateDetailApi.as_view(),
        name="shift-template",
    ),
    path("availability", roster_inputs.AvailabilityListApi.as_view(), name="availability"),
    path(
        "availability/<uuid:pk>",
        roster_inputs.AvailabilityDetailApi.as_view(),
        name="availability-block",
    ),
    path("rosters", rosters.RosterListApi.as_view(), name="rosters"),
    path("rosters/<uuid:pk>", rosters.RosterDetailApi.as_view(), name="roster"),
    path("rosters/<uuid:pk>/shifts", shifts.RosterShiftListApi.as_view(), name="roster-shifts"),
    path("rosters/<uuid:pk>/review", rosters.RosterReviewApi.as_view(), name="roster-review"),
    path("rosters/<uuid:pk>/export", rosters.RosterExportApi.as_view(), name="roster-export"),
    path("rosters/<uuid:pk>/changes", rosters.RosterChangesApi.as_view(), name="roster-changes"),
    path("rosters/<uuid:pk>/diff", rosters.RosterDiffApi.as_view(), name="roster-diff"),
    path("rosters/<uuid:pk>/resolve", rosters.RosterResolveApi.as_view(), name="roster-resolve"),
    path("rosters/<uuid:pk>/revise", rosters.RosterReviseApi.as_view(), name="roster-revise"),
    path("rosters/<uuid:pk>/publish", rosters.RosterPublishApi.as_view(), name="roster-publish"),
    path("rosters/<uuid:pk>/discard", rosters.RosterDiscardApi.as_view(), name="roster-discard"),
    path("shifts/<uuid:pk>", shifts.ShiftDetailApi.as_view(), name="shift"),
    path("shifts/<uuid:pk>/pin", shifts.ShiftPinApi.as_view(), name="shift-pin"),
    path("me/shifts", shifts.MyShiftsApi.as_view(), name="my-shifts"),
    path("me/calendar-feed", shifts.MyCalendarFeedApi.as_view(), name="my-calendar-feed"),
    path("calendar/<str:token>.ics", shifts.CalendarFeedApi.as_view(), name="calendar-feed"),
    path("swaps", swaps.SwapListApi.as_view(), name="swaps"),
    path("swaps/<uuid:pk>", swaps.SwapDetailApi.as_view(), name="swap"),
    path("swaps/<uuid:pk>/accept", swaps.SwapAcceptApi.as_view(), name="swap-accept"),
    path("swaps/<uuid:pk>/decline", swaps.SwapDeclineApi.as_view(), name="swap-decline"),
    path("swaps/<uuid:pk>/cancel", swaps.SwapCancelApi.as_view(), name="swap-cancel"),
    path("swaps/<uuid:pk>/approve", swaps.SwapApproveApi.as_view(), name="swap-approve"),
    path("swaps/<uuid:pk>/reject", swaps.SwapRejectApi.as_view(), name="swap-reject"),
    path("open-shifts", swaps.OpenShiftBoardApi.as_view(), name="open-shifts"),
    path("time-off", time_off.TimeOffListApi.as_view(), name="time-off"),
    path("time-off/capacity", time_off.TimeOffCapacityApi.as_view(), name="time-off-capacity"),
    path("time-off/<uuid:pk>", time_off.TimeOffDetailApi.as_view(), name="time-off-request"),
    path(
        "time-off/<uuid:pk>/approve", time_off.TimeOffApproveApi.as_view(), name="time-off-approve"
    ),
    path("time-off/<uuid:pk>/reject", time_off.TimeOffRejectApi.as_view(), name="time-off-reject"),
    path("time-off/<uuid:pk>/cancel", time_off.TimeOffCancelApi.as_view(), name="time-off-cancel"),
    path("approvals", approvals.ApprovalQueueApi.as_view(), name="approvals"),
    path(
        "teams/<uuid:pk>/request-policy",
        requests.RequestPolicyApi.as_view(),
        name="team-request-policy",
    ),
    path("me/notices", notices.MyNoticesApi.as_view(), name="my-notices"),
    path("me/notices/read", notices.MyNoticesReadApi.as_view(), name="my-notices-read"),
    path("devices", devices.DeviceListApi.as_view(), name="devices"),
    path("devices/<uuid:pk>", devices.DeviceDetailApi.as_view(), name="device"),
    path("devices/<uuid:pk>/revoke", devices.DeviceRevokeApi.as_view(), name="device-revoke"),
    path("device/config", devices.DeviceConfigApi.as_view(), name="device-config"),
    path("punches", punches.PunchSingleApi.as_view(), name="punches"),
    path("punches/batch", punches.PunchBatchApi.as_view(), name="punch-batch"),
    path("acd/agent-states", acd.AgentStatesApi.as_view(), name="acd-agent-states"),
    path("acd/intervals", acd.AcdIntervalsApi.as_view(), name="acd-intervals"),
    path("acd/import", acd.AcdImportApi.as_view(), name="acd-import"),
    path(
        "intraday/reforecasts",
        intraday.IntradayReforecastApi.as_view(),
        name="intraday-reforecasts",
    ),
    path("intraday/offers", intraday_offers.IntradayOffersApi.as_view(), name="intraday-offers"),
    path(
        "intraday/offers/<uuid:pk>/accept",
        intraday_offers.IntradayOfferAcceptApi.as_view(),
        name="intraday-offer-accept",
    ),
    path(
        "intraday/offers/<uuid:pk>/withdraw",
        intraday_offers.IntradayOfferWithdrawApi.as_view(),
        name="intraday-offer-withdraw",
    ),
    path("kiosk/identify", punches.KioskIdentifyApi.as_view(), name="kiosk-identify"),
    path("me/clock", punches.MyClockApi.as_view(), name="my-clock"),
    path(
        "employees/<uuid:pk>/punches",
        corrections.EmployeePunchesApi.as_view(),
        name="employee-punches",
    ),
    path("punch-corrections", corrections.PunchCorrectionApi.as_view(), name="punch-corrections"),
    path(
        "me/correction-requests",
        correction_requests.MyCorrectionRequestListApi.as_view(),
        name="my-correction-requests",
    ),
    path(
        "me/correction-requests/<uuid:pk>/cancel",
        correction_requests.MyCorrectionRequestCancelApi.as_view(),
        name="my-correction-request-cancel",
    ),
    path(
        "correction-requests/<uuid:pk>/approve",
        correction_requests.CorrectionRequestApproveApi.as_view(),
        name="correction-request-approve",
    ),
    path(
        "correction-requests/<uuid:pk>/reject",
        correction_requests.CorrectionRequestRejectApi.as_view(),
        name="correction-request-reject",
    ),
    path("pay-policies", pay_policies.PayPolicyListApi.as_view(), name="pay-policies"),
    path("pay-policies/<uuid:pk>", pay_policies.PayPolicyDetailApi.as_view(), name="pay-policy"),
    path("pay-periods", periods.PayPeriodListApi.as_view(), name="pay-periods"),
    path(
        "pay-periods/<uuid:pk>/exceptions",
        periods.PayPeriodExceptionsApi.as_view(),
        name="pay-period-exceptions",
    ),
    path(
        "pay-periods/<uuid:pk>/close",
        periods.PayPeriodCloseApi.as_view(),
        name="pay-period-close",
    ),
    path(
        "pay-periods/<uuid:pk>/adjustments",
        periods.PayPeriodAdjustmentsApi.as_view(),
        name="pay-period-adjustments",
    ),
    path(
        "pay-periods/<uuid:pk>/rounding",
        periods.PayPeriodRoundingApi.as_view(),
        name="pay-period-rounding",
    ),
    path(
        "pay-periods/<uuid:pk>/export",
        periods.PayPeriodExportApi.as_view(),
        name="pay-period-export",
    ),
    path(
        "pay-periods/<uuid:pk>/export/versions",
        periods.PayPeriodExportReissueApi.as_view(),
        name="pay-period-export-versions",
    ),
    path("me/timesheet", timesheets.TimesheetApi.as_view(), name="my-timesheet"),
    path("me/payslips/<uuid:period>", timesheets.PayslipApi.as_view(), name="my-payslip"),
    path("me/points", timesheets.PointsApi.as_view(), name="my-points"),
    path(
        "employees/<uuid:pk>/timesheet",
        timesheets.TimesheetApi.as_view(),
        name="employee-timesheet",
    ),
    path(
        "employees/<uuid:pk>/payslips/<uuid:period>",
        timesheets.PayslipApi.as_view(),
        name="employee-payslip",
    ),
    path("employees/<uuid:pk>/points", timesheets.PointsApi.as_view(), name="employee-points"),
    path(
        "employees/<uuid:pk>/fine-acknowledgements",
        points_cases.FineAcknowledgementListApi.as_view(),
        name="employee-fine-acknowledgements",
    ),
    path("points-cases", points_cases.PointsCaseListApi.as_view(), name="points-cases"),
    path("points-cases/<uuid:pk>", points_cases.PointsCaseDetailApi.as_view(), name="points-case"),
    path(
        "points-cases/<uuid:pk>/decision",
        points_cases.PointsCaseDecideApi.as_view(),
        name="points-case-decide",
    ),
]
