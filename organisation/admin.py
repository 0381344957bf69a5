"""Django admin for the organisation and jobs."""

from django.contrib import admin

from organisation.models import Employee, Job, LoginTries, Queue, Site, Team


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "timezone", "country_code", "currency", "minimum_hourly_wage"]
    search_fields = ["name"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "site"]
    list_filter = ["site"]
    search_fields = ["name"]
    filter_horizontal = ["managers"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "name",
        "site",
        "client_name",
        "service_level_target",
        "service_level_seconds",
        "max_occupancy",
        "shrinkage",
    ]
    list_filter = ["site"]
    search_fields = ["name", "client_name"]


@admin.register(Employee)
class EmployeeAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "number",
        "full_name",
        "team",
        "is_home_worker",
        "max_weekly_minutes",
        "hourly_rate",
        "employment_start",
        "employment_end",
    ]
    list_filter = ["team__site", "team", "is_home_worker"]
    search_fields = ["number", "user__username", "user__first_name", "user__last_name", "badge_id"]
    list_select_related = ["user", "team__site"]
    filter_horizontal = ["queues"]
    raw_id_fields = ["user"]
    readonly_fields = ["has_pin"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["id", "kind", "status", "progress", "created_by", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(LoginTries)
class LoginTriesAdmin(admin.ModelAdmin):
    """Deleting a row lifts a username's login lockout at once."""

    list_display = ("username", "tries", "window_started_at")
    search_fields = ("username",)
