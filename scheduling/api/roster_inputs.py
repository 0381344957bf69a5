"""What managers set up before a build: shift templates and availability."""

from typing import Any

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
from organisation.api.fields import AwareDateTimeField
from organisation.models import Employee, Queue, Site
from organisation.roles import MANAGERS
from organisation.selectors.organisation import (
    employee_list_visible,
    site_list_managed,
    team_list_managed,
)
from scheduling.api.rosters import TAG
from scheduling.models import AvailabilityBlock, ShiftTemplate
from scheduling.services import roster_inputs

# --- Shift templates -----------------------------------------------------------------------


class ShiftTemplateOutput(serializers.ModelSerializer):
    class Meta:
        model = ShiftTemplate
        fields = [
            "id",
            "site",
            "name",
            "queue",
            "activity",
            "earliest_start",
            "latest_start",
            "start_step_minutes",
            "lengths_minutes",
            "weekdays",
            "breaks",
            "is_active",
        ]
        read_only_fields = fields


class ShiftTemplateInput(ModelInputSerializer):
    class Meta:
        model = ShiftTemplate
        fields = [
            "site",
            "name",
            "queue",
            "activity",
            "earliest_start",
            "latest_start",
            "start_step_minutes",
            "lengths_minutes",
            "weekdays",
            "breaks",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        managed = site_list_managed(user=request.user) if request else Site.objects.none()
        self.fields["site"].queryset = managed
        self.fields["queue"].queryset = Queue.objects.filter(site__in=managed)


@collection_schema(ShiftTemplateInput, ShiftTemplateOutput, TAG)
class ShiftTemplateListApi(CollectionApi):
    create_roles = MANAGERS
    input_serializer = ShiftTemplateInput
    output_serializer = ShiftTemplateOutput
    filters = {"site": "site", "queue": "queue"}

    def get_queryset(self) -> QuerySet[ShiftTemplate]:
        return ShiftTemplate.objects.filter(site__in=site_list_managed(user=self.request.user))

    def perform_create(self, data: dict[str, Any]) -> Model:
        return roster_inputs.shift_template_create(**data)


@item_schema(ShiftTemplateInput, ShiftTemplateOutput, TAG)
class ShiftTemplateDetailApi(ItemApi):
    """Templates are deactivated (is_active=false), not deleted: shifts refer to them."""

    output_serializer = ShiftTemplateOutput

    def get_queryset(self) -> QuerySet[ShiftTemplate]:
        return ShiftTemplate.objects.filter(site__in=site_list_managed(user=self.request.user))

    def update_input(self, obj: Any) -> type[serializers.Serializer]:
        return ShiftTemplateInput

    def perform_update(self, obj: Any, data: dict[str, Any]) -> Model:
        return roster_inputs.shift_template_update(template=obj, **data)


# --- Availability --------------------------------------------------------------------------


class AvailabilityOutput(serializers.ModelSerializer):
    class Meta:
        model = AvailabilityBlock
        fields = ["id", "employee", "kind", "start", "end", "reason", "created_at"]
        read_only_fields = fields


class AvailabilityInput(InputSerializer):
    employee = serializers.PrimaryKeyRelatedField(queryset=Employee.objects.none())
    kind = serializers.ChoiceField(choices=AvailabilityBlock.Kind.choices)
    start = AwareDateTimeField()
    end = AwareDateTimeField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        self.fields["employee"].queryset = (
            Employee.objects.filter(team__in=team_list_managed(user=request.user))
            if request
            else Employee.objects.none()
        )


@collection_schema(AvailabilityInput, AvailabilityOutput, TAG)
class AvailabilityListApi(CollectionApi):
    """Managers record unavailability, approved time off and wishes for their teams;
    operators read their own."""

    create_roles = MANAGERS
    input_serializer = AvailabilityInput
    output_serializer = AvailabilityOutput
    filters = {"employee": "employee"}

    def get_queryset(self) -> QuerySet[AvailabilityBlock]:
        return AvailabilityBlock.objects.filter(
            employee__in=employee_list_visible(user=self.request.user)
        )

    def perform_create(self, data: dict[str, Any]) -> Model:
        return roster_inputs.availability_create(**data, created_by=self.request.user)


@item_schema(AvailabilityInput, AvailabilityOutput, TAG)
class AvailabilityDetailApi(ItemApi):
    output_serializer = AvailabilityOutput
    delete_roles = MANAGERS

    def get_queryset(self) -> QuerySet[AvailabilityBlock]:
        return AvailabilityBlock.objects.filter(
            employee__in=employee_list_visible(user=self.request.user)
        )

    def perform_destroy(self, obj: Any) -> None:
        if not team_list_managed(user=self.request.user).filter(pk=obj.employee.team_id).exists():
            raise PermissionDenied()
        obj.delete()
