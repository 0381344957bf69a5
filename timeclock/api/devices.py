"""Device APIs: managers register terminals and kiosks (the token shown once), read their
health and revoke them; a device reads its own configuration and the server's time."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.models import Site
from organisation.roles import MANAGERS
from organisation.selectors.organisation import site_list_managed
from timeclock.api.punches import MAX_BATCH
from timeclock.auth import IsDevice
from timeclock.models import Device
from timeclock.selectors.devices import device_seq_gaps
from timeclock.services.devices import device_register, device_revoke

TAG = "timeclock"


class DeviceOutput(serializers.ModelSerializer):
    is_active = serializers.BooleanField(read_only=True)

    class Meta:
        model = Device
        fields = [
            "id",
            "site",
            "name",
            "is_kiosk",
            "is_acd_feed",
            "token_prefix",
            "is_active",
            "created_at",
            "revoked_at",
            "last_seen_at",
            "last_skew_seconds",
        ]
        read_only_fields = fields


class DeviceCreatedOutput(DeviceOutput):
    token = serializers.CharField(read_only=True, help_text="Shown once; store it on the device")
    signing_key = serializers.CharField(
        read_only=True, help_text="Shown once; for HMAC-signed requests (Device-HMAC)"
    )

    class Meta(DeviceOutput.Meta):
        fields = [*DeviceOutput.Meta.fields, "token", "signing_key"]
        read_only_fields = fields


class DeviceInput(InputSerializer):
    site = serializers.PrimaryKeyRelatedField(queryset=Site.objects.none())
    name = serializers.CharField(max_length=100)
    is_kiosk = serializers.BooleanField(default=False)
    is_acd_feed = serializers.BooleanField(
        default=False, help_text="The phone system's feed: ACD states and intervals, no punches"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["site"].queryset = site_list_managed(user=request.user)


def _managed_devices(request: Request) -> QuerySet[Device]:
    return Device.objects.filter(site__in=site_list_managed(user=request.user)).select_related(
        "site"
    )


class DeviceListApi(APIView):
    """Managers and admins register terminals for their sites; the token is shown once."""

    @extend_schema(tags=[TAG], responses=DeviceOutput(many=True))
    def get(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        return Response(DeviceOutput(_managed_devices(request), many=True).data)

    @extend_schema(tags=[TAG], request=DeviceInput, responses={201: DeviceCreatedOutput})
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = DeviceInput(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        device, token = device_register(**serializer.validated_data, created_by=request.user)
        device.token = token  # type: ignore[attr-defined]
        return Response(DeviceCreatedOutput(device).data, status=status.HTTP_201_CREATED)


class DeviceHealthOutput(DeviceOutput):
    seq_gaps = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField()))
    punches_for_review = serializers.IntegerField()

    class Meta(DeviceOutput.Meta):
        fields = [*DeviceOutput.Meta.fields, "seq_gaps", "punches_for_review"]
        read_only_fields = fields


def _managed_device(request: Request, pk: str) -> Device:
    require_role(request.user, MANAGERS)
    device = _managed_devices(request).filter(pk=pk).first()
    if device is None:
        raise NotFound()
    return device


class DeviceDetailApi(APIView):
    """A device's health: last seen, clock skew, gaps in its sequence numbers (R2.6)."""

    @extend_schema(tags=[TAG], responses=DeviceHealthOutput)
    def get(self, request: Request, pk: str) -> Response:
        device = _managed_device(request, pk)
        device.seq_gaps = device_seq_gaps(device=device)  # type: ignore[attr-defined]
        device.punches_for_review = device.punches.exclude(review_reason="").count()  # type: ignore[attr-defined]
        return Response(DeviceHealthOutput(device).data)


class DeviceRevokeApi(APIView):
    @extend_schema(tags=[TAG], request=None, responses=DeviceOutput)
    def post(self, request: Request, pk: str) -> Response:
        device = device_revoke(device=_managed_device(request, pk))
        return Response(DeviceOutput(device).data)


class DeviceConfigOutput(serializers.Serializer):
    device = serializers.UUIDField()
    name = serializers.CharField()
    site = serializers.CharField()
    timezone = serializers.CharField()
    is_kiosk = serializers.BooleanField()
    server_time = serializers.DateTimeField()
    max_batch = serializers.IntegerField()


class DeviceConfigApi(APIView):
    """The calling device's own configuration, and the server's time to set its clock by."""

    permission_classes = [IsDevice]

    @extend_schema(tags=[TAG], responses=DeviceConfigOutput)
    def get(self, request: Request) -> Response:
        device: Device = request.auth
        body = {
            "device": device.pk,
            "name": device.name,
            "site": device.site.name,
            "timezone": device.site.timezone,
            "is_kiosk": device.is_kiosk,
            "server_time": timezone.now(),
            "max_batch": MAX_BATCH,
        }
        return Response(DeviceConfigOutput(body).data)
