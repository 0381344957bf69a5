"""Who am I, and exchanging a username and password for an API token."""

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer
from organisation.auth import login_locked
from organisation.errors import InvalidCredentials
from organisation.roles import user_roles


class MeOutput(serializers.Serializer):
    username = serializers.CharField()
    full_name = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    employee = serializers.UUIDField(allow_null=True)
    managed_teams = serializers.ListField(child=serializers.UUIDField())


class MeApi(APIView):
    @extend_schema(tags=["account"], responses=MeOutput)
    def get(self, request: Request) -> Response:
        user = request.user
        employee = getattr(user, "employee", None)
        body = {
            "username": user.get_username(),
            "full_name": user.get_full_name(),
            "roles": sorted(user_roles(user)),
            "employee": employee.pk if employee else None,
            "managed_teams": list(user.managed_teams.values_list("pk", flat=True)),
        }
        return Response(MeOutput(body).data)


class TokenInput(InputSerializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    token = serializers.CharField()


class TokenObtainApi(APIView):
    """Exchange credentials for a token used as `Authorization: Token <key>`. Five tries per
    username in 15 minutes, then 429 with Retry-After (organisation.services.logins)."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []

    error_statuses = (429,)

    @extend_schema(tags=["account"], request=TokenInput, responses=TokenOutput)
    def post(self, request: Request) -> Response:
        serializer = TokenInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request=request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        locked = login_locked(request._request)
        if locked is not None:
            raise locked
        if user is None or not user.is_active:
            raise InvalidCredentials()
        token, _ = Token.objects.get_or_create(user=user)
        return Response(TokenOutput({"token": token.key}).data)
