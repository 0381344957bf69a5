"""Pay policy APIs: payroll and admins set how each site (or team) pays; managers read their
sites' policies."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import serializers
from rest_framework.request import Request

from organisation.api.base import (
    CollectionApi,
    ItemApi,
    ModelInputSerializer,
    collection_schema,
    item_schema,
)
from organisation.roles import PAYROLL, user_roles
from organisation.selectors.organisation import site_list_managed
from timeclock.models import PayPolicy
from timeclock.services.pay_policies import VERSION_FIELDS, pay_policy_save

TAG = "pay"


POLICY_FIELDS = ["site", "team", "effective_from", *VERSION_FIELDS]


def _policies(request: Request) -> QuerySet[PayPolicy]:
    """Payroll and admins see every policy; managers those of their sites."""
    if user_roles(request.user) & PAYROLL:
        return PayPolicy.objects.order_by("site__name", "team__name")
    return PayPolicy.objects.filter(site__in=site_list_managed(user=request.user)).order_by(
        "site__name", "team__name"
    )


class PayPolicyOutput(serializers.ModelSerializer):
    class Meta:
        model = PayPolicy
        fields = ["id", *POLICY_FIELDS]
        read_only_fields = fields


class PayPolicyInput(ModelInputSerializer):
    class Meta:
        model = PayPolicy
        fields = POLICY_FIELDS


@collection_schema(PayPolicyInput, PayPolicyOutput, TAG)
class PayPolicyListApi(CollectionApi):
    """Payroll and admins set how each site (or team) pays; managers read their sites'."""

    create_roles = PAYROLL
    input_serializer = PayPolicyInput
    output_serializer = PayPolicyOutput

    def get_queryset(self) -> QuerySet[PayPolicy]:
        return _policies(self.request)

    def perform_create(self, data: dict[str, Any]) -> PayPolicy:
        return pay_policy_save(policy=PayPolicy(), fields=data)


@item_schema(PayPolicyInput, PayPolicyOutput, TAG)
class PayPolicyDetailApi(ItemApi):
    output_serializer = PayPolicyOutput
    delete_roles = PAYROLL

    def get_queryset(self) -> QuerySet[PayPolicy]:
        return _policies(self.request)

    def update_input(self, obj: Any) -> type[serializers.Serializer] | None:
        return PayPolicyInput if user_roles(self.request.user) & PAYROLL else None

    def perform_update(self, obj: Any, data: dict[str, Any]) -> PayPolicy:
        return pay_policy_save(policy=obj, fields=data)

    def perform_destroy(self, obj: Any) -> None:
        obj.delete()
