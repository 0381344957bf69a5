"""What every request API shares (swaps, time off, punch corrections): the reader's own
employee record, people as requests show them, and a manager's decision with its reason."""

from collections.abc import Callable
from typing import Any, ClassVar

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.models import Employee
from organisation.roles import MANAGERS
from organisation.selectors.organisation import own_employee


def me_or_404(request: Request) -> Employee:
    me = own_employee(request.user)
    if me is None:
        raise NotFound("You have no employee record.")
    return me


class PersonOutput(serializers.ModelSerializer):
    name = serializers.CharField(source="full_name", read_only=True)

    class Meta:
        model = Employee
        fields = ["id", "number", "name"]
        read_only_fields = fields


class DecisionInput(InputSerializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


def decision_reason(request: Request) -> str:
    serializer = DecisionInput(data=request.data or {})
    serializer.is_valid(raise_exception=True)
    return str(serializer.validated_data["reason"])


class ManagerDecisionApi(APIView):
    """POST {"reason"}: a manager of the team decides a request visible to them."""

    find: ClassVar[Callable[[Request, str], Any]]
    decide: ClassVar[Callable[..., Any]]
    output: ClassVar[type[serializers.Serializer]]

    def post(self, request: Request, pk: str) -> Response:
        row = type(self).find(request, pk)
        require_role(request.user, MANAGERS)
        result = type(self).decide(row, approver=request.user, reason=decision_reason(request))
        return Response(self.output(result).data)
