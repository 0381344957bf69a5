"""The reader's own notices (GET /api/v1/me/notices)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.pagination import CappedPagination
from organisation.models import Notice
from organisation.selectors.notices import my_notices


class NoticeOutput(serializers.ModelSerializer):
    class Meta:
        model = Notice
        fields = ["id", "event_key", "subject", "body", "created_at", "sent_at"]
        read_only_fields = fields


class MyNoticesApi(APIView):
    """My notices about requests, newest first (paginated)."""

    pagination_class = CappedPagination  # documents the page object in the schema

    @extend_schema(tags=["account"], responses=NoticeOutput(many=True))
    def get(self, request: Request) -> Response:
        paginator = CappedPagination()
        page = paginator.paginate_queryset(my_notices(user=request.user), request, view=self)
        return paginator.get_paginated_response(NoticeOutput(page, many=True).data)
