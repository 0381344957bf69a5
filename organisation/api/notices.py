"""The reader's own notices: GET /api/v1/me/notices (newest first, `?unread=1` for those not
yet read) and POST /api/v1/me/notices/read (mark some or all read)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer
from organisation.api.pagination import CappedPagination
from organisation.models import Notice
from organisation.selectors.notices import my_notices, notice_unread_count
from organisation.services.notices import notices_mark_read


class NoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "event_key", "subject", "body", "created_at", "sent_at", "read_at"]
        read_only_fields = fields


class MyNoticesApi(APIView):
    """My notices about requests, newest first (paginated)."""

    pagination_class = CappedPagination  # documents the page object in the schema

    @extend_schema(
        tags=["account"],
        parameters=[OpenApiParameter("unread", bool, description="Only those not read yet")],
        responses=NoticeOutput(many=True),
    )
    def get(self, request: Request) -> Response:
        rows = my_notices(user=request.user)
        if request.query_params.get("unread") in ("1", "true"):
            rows = rows.filter(read_at__isnull=True)
        paginator = CappedPagination()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response(NoticeOutput(page, many=True).data)


class MarkReadInput(InputSerializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=500,
        help_text="The notices to mark read; without it, all of mine.",
    )


class MarkReadOutput(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many were unread and are read now")
    unread = serializers.IntegerField(help_text="How many of mine are still unread")


class MyNoticesReadApi(APIView):
    """Mark my notices read (some, or all); other people's are never touched, unknown ids are
    ignored."""

    @extend_schema(tags=["account"], request=MarkReadInput, responses=MarkReadOutput)
    def post(self, request: Request) -> Response:
        data = MarkReadInput(data=request.data)
        data.is_valid(raise_exception=True)
        marked = notices_mark_read(user=request.user, notice_ids=data.validated_data.get("ids"))
        body = {"marked": marked, "unread": notice_unread_count(user=request.user)}
        return Response(MarkReadOutput(body).data)
