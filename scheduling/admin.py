"""Django admin for call history, forecasts, overrides and staffing; request policies, and
swaps and time off read-only (they change only through their services, which audit)."""

from django.contrib import admin

from scheduling.models import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    RequestPolicy,
    ShiftSwap,
    StaffingRequirement,
    TimeOffRequest,
)


@admin.register(HistoryImport)
class HistoryImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "queue",
        "filename",
        "layout",
        "interval_minutes",
        "intervals_written",
        "created_at",
    ]
    list_filter = ["queue__site", "layout"]
    readonly_fields = [f.name for f in HistoryImport._meta.fields]


@admin.register(CallVolume)
class CallVolumeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["queue", "interval_start", "interval_minutes", "calls", "handled_calls"]
    list_filter = ["queue"]
    date_hierarchy = "interval_start"


@admin.register(ForecastOverride)
class ForecastOverrideAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["queue", "start_date", "end_date", "factor", "reason", "created_by"]
    list_filter = ["queue"]


@admin.register(ForecastRun)
class ForecastRunAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["queue", "start_date", "days", "interval_minutes", "method_used", "created_at"]
    list_filter = ["queue", "method_used"]
    readonly_fields = [f.name for f in ForecastRun._meta.fields]


@admin.register(StaffingRequirement)
class StaffingRequirementAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["queue", "interval_start", "calls", "aht_seconds", "agents", "scheduled_agents"]
    list_filter = ["queue"]
    date_hierarchy = "interval_start"


@admin.register(RequestPolicy)
class RequestPolicyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "team",
        "auto_approve_swaps",
        "min_notice_minutes",
        "equal_paid_time",
        "trade_overtime_minutes",
        "time_off_max_per_day",
    ]


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ShiftSwap)
class ShiftSwapAdmin(ReadOnlyAdmin):
    list_display = ["kind", "status", "team", "requester", "counterpart", "created_at"]
    list_filter = ["kind", "status", "team"]


@admin.register(TimeOffRequest)
class TimeOffRequestAdmin(ReadOnlyAdmin):
    list_display = ["employee", "first_day", "last_day", "status", "decided_by"]
    list_filter = ["status", "team"]
