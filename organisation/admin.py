"""Django admin for the organisation and jobs."""

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from organisation.errors import DomainError
from organisation.models import Employee, Job, LoginTries, PayRate, Queue, Site, Team
from organisation.services.pay_rates import pay_rate_record


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "timezone", "country_code", "currency", "minimum_hourly_wage"]
    search_fields = ["name"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        """A site's currency changes through the sites API with the conversion of its
        employees' rates (organisation.services.pay_rates.pay_rates_convert), never here:
        saving a new code here would record no rate in it."""
        return ["currency"] if obj is not None else []

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """A save another app refuses (a new country whose law forbids the site's pay policy
        fines: timeclock's pre_save check) is rolled back and said on the page, not a 500."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except DomainError as refused:
            self.message_user(request, refused.message, level=messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


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


class PayRateInline(admin.TabularInline):  # type: ignore[type-arg]
    """The rate history, read only: a rate is changed on the employee (hourly_rate), which
    records it from today."""

    model = PayRate
    fields = ["valid_from", "rate", "currency", "recorded_at", "recorded_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


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
    inlines = [PayRateInline]

    def save_model(self, request: HttpRequest, obj: Employee, form: Any, change: bool) -> None:
        """A new rate (or a team at a site paying in another currency) goes into the rate
        history from today, as on the API; a new employee's first rate from their start."""
        super().save_model(request, obj, form, change)
        if not change or {"hourly_rate", "team"} & set(form.changed_data):
            pay_rate_record(
                employee=obj,
                rate=obj.hourly_rate,
                valid_from=None if change else obj.employment_start,
                actor=request.user,
            )


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
