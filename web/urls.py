"""Routes of the web pages (namespace "web")."""

from django.urls import path

from web.views import (
    account,
    adherence,
    availability,
    board,
    board_day,
    board_edits,
    board_publish,
    cases,
    corrections,
    intraday,
    intraday_moves,
    intraday_offers,
    manager,
    notices,
    operator,
    payroll,
    payroll_review,
    payroll_timesheet,
    planning,
    requests,
    setup,
    staffing,
    training,
)

app_name = "web"
urlpatterns = [
    path("", account.home, name="home"),
    path("login/", account.LoginView.as_view(), name="login"),
    path("logout/", account.LogoutView.as_view(), name="logout"),
    path("password/", account.PasswordChangeView.as_view(), name="password-change"),
    path("password/done/", account.PasswordChangeDoneView.as_view(), name="password-change-done"),
    path("manager/", manager.dashboard_view, name="dashboard"),
    path("manager/intraday/", intraday.intraday_view, name="intraday"),
    path("manager/intraday/offers/", intraday_offers.offer_create_view, name="intraday-offer"),
    path(
        "manager/intraday/offers/<uuid:pk>/withdraw/",
        intraday_offers.offer_withdraw_view,
        name="intraday-offer-withdraw",
    ),
    path("manager/intraday/moves/", intraday_moves.intraday_move_view, name="intraday-moves"),
    path("me/offers/", intraday_offers.my_offers_view, name="my-offers"),
    path(
        "me/offers/<uuid:pk>/accept/",
        intraday_offers.my_offer_accept_view,
        name="my-offer-accept",
    ),
    path("manager/attendance/", manager.attendance_view, name="attendance"),
    path("manager/adherence/", adherence.adherence_view, name="adherence"),
    path("manager/adherence/import/", adherence.acd_import_view, name="acd-import"),
    path(
        "manager/adherence/threshold/",
        adherence.adherence_threshold_view,
        name="adherence-threshold",
    ),
    path("me/adherence/", adherence.my_adherence_view, name="my-adherence"),
    path("manager/attendance/cases/", cases.points_cases_view, name="points-cases"),
    path(
        "manager/attendance/cases/check/", cases.points_cases_check_view, name="points-cases-check"
    ),
    path("manager/attendance/cases/<uuid:pk>/", cases.points_case_view, name="points-case"),
    path("manager/attendance/fine-rules/", cases.fine_rules_view, name="fine-rules"),
    path("manager/approvals/", requests.approvals_view, name="approvals"),
    path(
        "manager/approvals/<str:what>/<uuid:pk>/<str:action>/",
        requests.decide_view,
        name="decide",
    ),
    path("me/swaps/", requests.swaps_view, name="swaps"),
    path("me/swaps/<uuid:pk>/<str:action>/", requests.swap_action_view, name="swap-action"),
    path("me/time-off/", requests.time_off_view, name="time-off"),
    path("me/time-off/<uuid:pk>/cancel/", requests.time_off_cancel_view, name="time-off-cancel"),
    path("me/week/", operator.my_week_view, name="my-week"),
    path("me/clock/", operator.clock_view, name="clock"),
    path("me/timesheet/", operator.timesheet_view, name="timesheet"),
    path("me/timesheet/correction/", corrections.correction_view, name="correction"),
    path(
        "me/corrections/<uuid:pk>/cancel/",
        corrections.correction_cancel_view,
        name="correction-cancel",
    ),
    path("me/payslips/", operator.payslips_view, name="payslips"),
    path("me/payslips/<uuid:period>/", operator.payslip_view, name="payslip"),
    path("me/calendar/", operator.calendar_view, name="calendar"),
    path("payroll/", payroll.periods_view, name="periods"),
    path("payroll/periods/<uuid:pk>/", payroll.period_view, name="period"),
    path("payroll/periods/<uuid:pk>/export/", payroll.period_export_view, name="period-export"),
    path("payroll/periods/<uuid:pk>/reissue/", payroll.period_reissue_view, name="period-reissue"),
    path(
        "payroll/periods/<uuid:pk>/review/",
        payroll_review.period_review_view,
        name="period-review",
    ),
    path(
        "payroll/periods/<uuid:pk>/people/<uuid:employee>/",
        payroll_timesheet.period_timesheet_view,
        name="period-timesheet",
    ),
    path(
        "payroll/periods/<uuid:pk>/exports/",
        payroll_review.period_exports_view,
        name="period-exports",
    ),
    path("payroll/codes/", payroll_review.payroll_codes_view, name="payroll-codes"),
    path(
        "payroll/periods/<uuid:pk>/download/<str:kind>/",
        payroll.period_download_view,
        name="period-download",
    ),
]

# Issue 21. Planning: queues and history, forecasts and overrides, staffing and what-if.
urlpatterns += [
    path("manager/planning/", planning.queues_view, name="queues"),
    path("manager/planning/queues/<uuid:pk>/", planning.queue_view, name="queue"),
    path(
        "manager/planning/queues/<uuid:pk>/history/",
        planning.history_upload_view,
        name="history-upload",
    ),
    path(
        "manager/planning/queues/<uuid:pk>/forecast/",
        planning.forecast_queue_view,
        name="forecast-queue",
    ),
    path("manager/planning/forecast/", planning.forecast_view, name="forecast"),
    path("manager/planning/forecast/jobs/", planning.forecast_jobs_view, name="forecast-jobs"),
    path("manager/planning/overrides/<uuid:pk>/", planning.override_edit_view, name="override"),
    path(
        "manager/planning/overrides/<uuid:pk>/delete/",
        planning.override_delete_view,
        name="override-delete",
    ),
    path("manager/planning/staffing/", staffing.staffing_page_view, name="staffing"),
    path("manager/planning/staffing/apply/", staffing.staffing_apply_view, name="staffing-apply"),
]
# Issue 21. Set-up: shift templates, people and their availability, devices; operators' own
# availability.
urlpatterns += [
    path("manager/setup/", setup.templates_view, name="templates"),
    path("manager/setup/templates/new/", setup.template_edit_view, name="template-new"),
    path("manager/setup/templates/<uuid:pk>/", setup.template_edit_view, name="template"),
    path(
        "manager/setup/templates/<uuid:pk>/retire/",
        setup.template_retire_view,
        name="template-retire",
    ),
    path("manager/setup/people/", setup.people_view, name="people"),
    path("manager/setup/people/<uuid:pk>/", setup.person_view, name="person"),
    path("manager/setup/people/<uuid:pk>/pin/", setup.person_pin_view, name="person-pin"),
    path(
        "manager/setup/people/<uuid:pk>/availability/",
        setup.person_availability_view,
        name="person-availability",
    ),
    path(
        "manager/setup/availability/<uuid:pk>/delete/",
        setup.availability_delete_view,
        name="availability-delete",
    ),
    path("manager/setup/devices/", setup.devices_view, name="devices"),
    path("manager/setup/devices/<uuid:pk>/revoke/", setup.device_revoke_view, name="device-revoke"),
    path("manager/setup/devices/<uuid:pk>/rotate/", setup.device_rotate_view, name="device-rotate"),
    path("payroll/policies/", setup.policies_view, name="policies"),
    path("payroll/policies/change/", setup.policy_edit_view, name="policy-edit"),
    path("me/availability/", availability.my_availability_view, name="my-availability"),
    path("me/training/", training.my_training_view, name="my-training"),
    path(
        "me/training/<uuid:pk>/modules/<uuid:module>/done/",
        training.my_module_done_view,
        name="my-module-done",
    ),
    path("manager/training/", training.training_view, name="training"),
    path(
        "manager/rosters/<uuid:pk>/training/",
        training.roster_training_view,
        name="roster-training",
    ),
    path(
        "manager/training/proficiency/",
        training.proficiency_view,
        name="training-proficiency",
    ),
    path("manager/training/<uuid:pk>/", training.programme_view, name="training-programme"),
    path(
        "manager/training/enrolments/<uuid:pk>/",
        training.enrolment_view,
        name="training-enrolment",
    ),
    path(
        "manager/training/enrolments/<uuid:pk>/<str:action>/",
        training.enrolment_action_view,
        name="training-enrolment-action",
    ),
    path(
        "me/availability/<uuid:pk>/delete/",
        availability.my_availability_delete_view,
        name="my-availability-delete",
    ),
]
# end of issue 21

# The schedule board (issue 22): rosters, a build's progress, the board, its edits, the day
# view, publishing.
urlpatterns += [
    path("manager/rosters/", board.rosters_view, name="rosters"),
    path("manager/jobs/<uuid:pk>/", board.job_view, name="job"),
    path("manager/rosters/<uuid:pk>/", board.roster_view, name="roster"),
    path("manager/rosters/<uuid:pk>/day/<str:day>/", board_day.roster_day_view, name="roster-day"),
    path("manager/rosters/<uuid:pk>/add/", board_edits.shift_add_view, name="shift-add"),
    path("manager/rosters/<uuid:pk>/undo/", board_edits.roster_undo_view, name="roster-undo"),
    path("manager/rosters/<uuid:pk>/publish/", board_publish.roster_publish_view, name="publish"),
    path("manager/shifts/<uuid:pk>/", board_edits.shift_edit_view, name="shift-edit"),
    path("manager/shifts/<uuid:pk>/delete/", board_edits.shift_delete_view, name="shift-delete"),
    path("manager/shifts/<uuid:pk>/pin/", board_edits.shift_pin_view, name="shift-pin"),
    path(
        "manager/shifts/<uuid:pk>/reassign/",
        board_edits.shift_reassign_view,
        name="shift-reassign",
    ),
    path("manager/shifts/<uuid:pk>/break/", board_edits.shift_break_view, name="shift-break"),
    path("manager/shifts/<uuid:pk>/drop/", board_edits.shift_drop_view, name="shift-drop"),
]
# The notices bell (issue 22): everyone's own notices.
urlpatterns += [
    path("notices/", notices.notices_view, name="notices"),
    path("notices/count/", notices.notice_count_view, name="notice-count"),
    path("notices/read/", notices.notices_read_view, name="notices-read"),
    path("notices/<int:pk>/", notices.notice_open_view, name="notice-open"),
]
