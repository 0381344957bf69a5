"""CRUD APIs for sites, teams, queues and employees, scoped by role.

Sites: admins write; everyone reads the sites they belong to. Teams: admins create and delete,
managers rename their own. Queues: admins and managers at the queue's site. Employees: admins
and the team's managers; an operator reads and edits only their own e-mail and PIN.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Model, QuerySet
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from organisation.api.base import (
    CollectionApi,
    InputSerializer,
    ItemApi,
    ModelInputSerializer,
    collection_schema,
    item_schema,
)
from organisation.api.fields import OptionalEmailField
from organisation.models import Employee, Queue, Site, Team
from organisation.roles import ADMINS, MANAGERS, Role, user_roles
from organisation.selectors import organisation as selectors
from organisation.services import organisation as services
from organisation.services.organisation import CONTRACT_FIELDS

User = get_user_model()


class _ScopedQuerysetMixin:
    """Related-field choices narrowed to what the requesting user manages.

    Without a request (schema generation) nothing is selectable.
    """

    context: dict[str, Any]
    fields: Any

    def scoped(self, field: str, choices: Callable[..., QuerySet[Any]]) -> None:
        request = self.context.get("request")
        target = getattr(self.fields[field], "child_relation", self.fields[field])
        target.queryset = choices(user=request.user) if request else target.queryset.none()


# --- Sites ---------------------------------------------------------------------------------


class SiteOutput(serializers.ModelSerializer):
    class Meta:
        model = Site
        fields = [
            "id",
            "name",
            "timezone",
            "country_code",
            "us_state",
            "currency",
            "minimum_hourly_wage",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SiteInput(ModelInputSerializer):
    # With a new currency: how much of it one unit of the old is worth; the employees' rates
    # are recorded converted (organisation.services.pay_rates.pay_rates_convert).
    rate_conversion = serializers.DecimalField(
        max_digits=18,
        decimal_places=8,
        min_value=Decimal("0.00000001"),
        required=False,
        write_only=True,
    )

    class Meta:
        model = Site
        fields = [
            "name",
            "timezone",
            "country_code",
            "us_state",
            "currency",
            "minimum_hourly_wage",
            "rate_conversion",
        ]


@collection_schema(SiteInput, SiteOutput, "organisation")
class SiteListApi(CollectionApi):
    create_roles = ADMINS
    input_serializer = SiteInput
    output_serializer = SiteOutput

    def get_queryset(self) -> QuerySet[Site]:
        return selectors.site_list_visible(user=self.request.user)

    def perform_create(self, data: dict[str, Any]) -> Model:
        data.pop("rate_conversion", None)  # a new site has no rates to convert
        return services.site_create(**data)


@item_schema(SiteInput, SiteOutput, "organisation")
class SiteDetailApi(ItemApi):
    output_serializer = SiteOutput

    def get_queryset(self) -> QuerySet[Site]:
        return selectors.site_list_visible(user=self.request.user)

    def update_input(self, obj: Site) -> type[serializers.Serializer] | None:
        return SiteInput if Role.ADMIN in user_roles(self.request.user) else None

    def perform_update(self, obj: Site, data: dict[str, Any]) -> Model:
        return services.site_update(site=obj, actor=self.request.user, **data)

    def perform_destroy(self, obj: Site) -> None:
        services.site_delete(site=obj)


# --- Teams ---------------------------------------------------------------------------------


class TeamOutput(serializers.ModelSerializer):
    site_name = serializers.CharField(source="site.name", read_only=True)
    managers = serializers.SlugRelatedField(slug_field="username", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "site", "site_name", "name", "managers", "created_at", "updated_at"]
        read_only_fields = fields


class TeamInput(ModelInputSerializer):
    managers = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=User.objects.filter(groups__name=Role.MANAGER),
    )

    class Meta:
        model = Team
        fields = ["site", "name", "managers"]


class TeamRenameInput(ModelInputSerializer):
    class Meta:
        model = Team
        fields = ["name"]


class TeamAdminUpdateInput(TeamInput):
    class Meta(TeamInput.Meta):
        fields = ["name", "managers"]


@collection_schema(TeamInput, TeamOutput, "organisation")
class TeamListApi(CollectionApi):
    create_roles = ADMINS
    input_serializer = TeamInput
    output_serializer = TeamOutput
    filters = {"site": "site"}

    def get_queryset(self) -> QuerySet[Team]:
        return selectors.team_list_visible(user=self.request.user)

    def perform_create(self, data: dict[str, Any]) -> Model:
        return services.team_create(**data)


@item_schema(TeamAdminUpdateInput, TeamOutput, "organisation")
class TeamDetailApi(ItemApi):
    output_serializer = TeamOutput

    def get_queryset(self) -> QuerySet[Team]:
        return selectors.team_list_visible(user=self.request.user)

    def update_input(self, obj: Team) -> type[serializers.Serializer] | None:
        user = self.request.user
        if Role.ADMIN in user_roles(user):
            return TeamAdminUpdateInput
        if selectors.team_list_managed(user=user).filter(pk=obj.pk).exists():
            return TeamRenameInput
        return None

    def perform_update(self, obj: Team, data: dict[str, Any]) -> Model:
        return services.team_update(team=obj, **data)

    def perform_destroy(self, obj: Team) -> None:
        services.team_delete(team=obj)


# --- Queues --------------------------------------------------------------------------------

QUEUE_SETTINGS = [
    "client_name",
    "service_level_target",
    "service_level_seconds",
    "max_occupancy",
    "shrinkage",
    "default_aht_seconds",
    "patience_seconds",
]


class QueueOutput(serializers.ModelSerializer):
    class Meta:
        model = Queue
        fields = [
            "id",
            "site",
            "name",
            "is_outsourced",
            *QUEUE_SETTINGS,
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class QueueInput(_ScopedQuerysetMixin, ModelInputSerializer):
    class Meta:
        model = Queue
        fields = ["site", "name", *QUEUE_SETTINGS]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scoped("site", selectors.site_list_managed)


class QueueUpdateInput(ModelInputSerializer):
    class Meta:
        model = Queue
        fields = ["name", *QUEUE_SETTINGS]


@collection_schema(QueueInput, QueueOutput, "organisation")
class QueueListApi(CollectionApi):
    create_roles = MANAGERS
    input_serializer = QueueInput
    output_serializer = QueueOutput
    filters = {"site": "site"}

    def get_queryset(self) -> QuerySet[Queue]:
        return selectors.queue_list_visible(user=self.request.user)

    def perform_create(self, data: dict[str, Any]) -> Model:
        return services.queue_create(**data)


@item_schema(QueueUpdateInput, QueueOutput, "organisation")
class QueueDetailApi(ItemApi):
    output_serializer = QueueOutput
    delete_roles = MANAGERS

    def get_queryset(self) -> QuerySet[Queue]:
        return selectors.queue_list_visible(user=self.request.user)

    def _manages(self, obj: Queue) -> bool:
        return selectors.site_list_managed(user=self.request.user).filter(pk=obj.site_id).exists()

    def update_input(self, obj: Queue) -> type[serializers.Serializer] | None:
        return QueueUpdateInput if self._manages(obj) else None

    def perform_update(self, obj: Queue, data: dict[str, Any]) -> Model:
        return services.queue_update(queue=obj, **data)

    def perform_destroy(self, obj: Queue) -> None:
        if not self._manages(obj):
            raise PermissionDenied()
        services.queue_delete(queue=obj)


# --- Employees -----------------------------------------------------------------------------


class EmployeeOutput(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    first_name = serializers.CharField(source="user.first_name", read_only=True)
    last_name = serializers.CharField(source="user.last_name", read_only=True)
    email = OptionalEmailField(source="user.email", read_only=True)
    site = serializers.UUIDField(source="team.site_id", read_only=True)
    has_pin = serializers.BooleanField(read_only=True)

    class Meta:
        model = Employee
        fields = [
            "id",
            "number",
            "username",
            "first_name",
            "last_name",
            "email",
            "team",
            "site",
            "queues",
            *CONTRACT_FIELDS,
            "has_pin",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class EmployeeInput(_ScopedQuerysetMixin, ModelInputSerializer):
    username = serializers.CharField(max_length=150)
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = OptionalEmailField(required=False, allow_blank=True)
    pin = serializers.CharField(write_only=True, required=False, min_length=4, max_length=8)
    # A new hourly_rate applies from this local day (default: today at the site; a past day
    # is booked back as adjustments; a day to come is an upcoming rate, paid from that day).
    # The rate history: organisation.services.pay_rates.
    rate_valid_from = serializers.DateField(write_only=True, required=False)

    class Meta:
        model = Employee
        fields = [
            "username",
            "first_name",
            "last_name",
            "email",
            "number",
            "team",
            "queues",
            *CONTRACT_FIELDS,
            "rate_valid_from",
            "pin",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scoped("team", selectors.team_list_managed)


class EmployeeUpdateInput(EmployeeInput):
    username = None  # the login name is fixed once created

    class Meta(EmployeeInput.Meta):
        fields = [f for f in EmployeeInput.Meta.fields if f != "username"]


class EmployeeSelfInput(InputSerializer):
    """What an operator may change on their own record."""

    email = OptionalEmailField(required=False, allow_blank=True)
    pin = serializers.CharField(write_only=True, required=False, min_length=4, max_length=8)


@collection_schema(EmployeeInput, EmployeeOutput, "organisation")
class EmployeeListApi(CollectionApi):
    create_roles = MANAGERS
    input_serializer = EmployeeInput
    output_serializer = EmployeeOutput
    filters = {"team": "team", "site": "team__site", "queue": "queues"}

    def get_queryset(self) -> QuerySet[Employee]:
        return selectors.employee_list_visible(user=self.request.user)

    def perform_create(self, data: dict[str, Any]) -> Model:
        return services.employee_create(**data, actor=self.request.user)


@item_schema(EmployeeUpdateInput, EmployeeOutput, "organisation")
class EmployeeDetailApi(ItemApi):
    output_serializer = EmployeeOutput

    def get_queryset(self) -> QuerySet[Employee]:
        return selectors.employee_list_visible(user=self.request.user)

    def update_input(self, obj: Employee) -> type[serializers.Serializer] | None:
        user = self.request.user
        if selectors.team_list_managed(user=user).filter(pk=obj.team_id).exists():
            return EmployeeUpdateInput
        if obj.user_id == user.pk:
            return EmployeeSelfInput
        return None

    def perform_update(self, obj: Employee, data: dict[str, Any]) -> Model:
        return services.employee_update(employee=obj, **data, actor=self.request.user)

    def perform_destroy(self, obj: Employee) -> None:
        services.employee_delete(employee=obj)
