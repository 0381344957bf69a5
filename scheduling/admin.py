"""Django admin for call history, forecasts, overrides and staffing."""

from django.contrib import admin

from scheduling.models import (
    CallVolume,
    ForecastOverride,
    ForecastRun,
    HistoryImport,
    StaffingRequirement,
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
