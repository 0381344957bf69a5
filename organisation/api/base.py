"""Shared pieces of every API view: strict input, capped pages, role checks, CRUD shapes.

A collection view lists what the selector lets the user see and creates through a service;
an item view reads, updates and deletes one visible object. Objects outside the user's scope
are 404 (no existence oracle); visible objects the user may not change are 403.
"""

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import Model, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, NotFound, PermissionDenied, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from organisation.api.fields import AwareDateTimeField, SaneDateField
from organisation.api.pagination import CappedPagination
from organisation.roles import ADMINS, Role, user_roles


class StrictInputMixin:
    """Reject fields the serializer does not accept (mass assignment, typos) with 400."""

    fields: Mapping[str, serializers.Field]

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - writable)
            if unknown:
                raise ValidationError(
                    {
                        name: [ErrorDetail("This field is not accepted here.", "unknown_field")]
                        for name in unknown
                    }
                )
        return super().to_internal_value(data)  # type: ignore[misc]


class InputSerializer(StrictInputMixin, serializers.Serializer):
    pass


class ModelInputSerializer(StrictInputMixin, serializers.ModelSerializer):
    """A model's input: its dates in the API's window (1970-01-01 .. 2099-12-31) and its
    instants with their UTC offset, like every other input."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.DateField: SaneDateField,
        models.DateTimeField: AwareDateTimeField,
    }


def require_role(user: AbstractBaseUser, roles: frozenset[Role]) -> None:
    if not user_roles(user) & roles:
        raise PermissionDenied()


def collection_schema(
    input_serializer: type[serializers.Serializer],
    output_serializer: type[serializers.Serializer],
    tag: str,
) -> Callable[[type], type]:
    return extend_schema_view(
        get=extend_schema(tags=[tag], responses=output_serializer(many=True)),
        post=extend_schema(
            tags=[tag], request=input_serializer, responses={201: output_serializer}
        ),
    )


def item_schema(
    input_serializer: type[serializers.Serializer],
    output_serializer: type[serializers.Serializer],
    tag: str,
) -> Callable[[type], type]:
    return extend_schema_view(
        get=extend_schema(tags=[tag], responses=output_serializer),
        patch=extend_schema(tags=[tag], request=input_serializer, responses=output_serializer),
        delete=extend_schema(tags=[tag], responses={204: None}),
    )


class CollectionApi(GenericAPIView):  # type: ignore[type-arg]
    """GET lists the visible objects (paginated); POST creates one through a service.

    Subclasses define get_queryset (a selector), perform_create (a service), create_roles,
    the two serializers and optional `filters` {query parameter: ORM lookup}.
    """

    pagination_class = CappedPagination
    create_roles: ClassVar[frozenset[Role]]
    input_serializer: ClassVar[type[serializers.Serializer]]
    output_serializer: ClassVar[type[serializers.Serializer]]
    filters: ClassVar[Mapping[str, str]] = {}

    def perform_create(self, data: dict[str, Any]) -> Model:
        raise PermissionDenied()

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        for param, lookup in self.filters.items():
            value = self.request.query_params.get(param)
            if value:
                try:
                    queryset = queryset.filter(**{lookup: value})
                except (ValueError, DjangoValidationError) as exc:
                    raise ValidationError({param: ["Invalid value."]}) from exc
        return queryset

    def get(self, request: Request) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        data = self.output_serializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)

    def post(self, request: Request) -> Response:
        require_role(request.user, self.create_roles)
        serializer = self.input_serializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        obj = self.perform_create(serializer.validated_data)
        body = self.output_serializer(obj, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ItemApi(GenericAPIView):  # type: ignore[type-arg]
    """GET, PATCH and DELETE one object among those the user can see.

    Subclasses define get_queryset (a selector), update_input (which serializer this user may
    use on this object, None for read-only), perform_update and perform_destroy (services).
    """

    delete_roles: ClassVar[frozenset[Role]] = ADMINS
    output_serializer: ClassVar[type[serializers.Serializer]]

    def get_object(self) -> Any:
        obj = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if obj is None:
            raise NotFound()
        return obj

    def update_input(self, obj: Any) -> type[serializers.Serializer] | None:
        return None

    def perform_update(self, obj: Any, data: dict[str, Any]) -> Model:
        raise PermissionDenied()

    def perform_destroy(self, obj: Any) -> None:
        raise PermissionDenied()

    def get(self, request: Request, pk: str) -> Response:
        return Response(self.output_serializer(self.get_object()).data)

    def patch(self, request: Request, pk: str) -> Response:
        obj = self.get_object()
        input_serializer = self.update_input(obj)
        if input_serializer is None:
            raise PermissionDenied()
        serializer = input_serializer(
            instance=obj, data=request.data, partial=True, context={"request": request}
        )
        serializer.is_valid(raise_exception=True)
        obj = self.perform_update(obj, serializer.validated_data)
        return Response(self.output_serializer(obj).data)

    def delete(self, request: Request, pk: str) -> Response:
        obj = self.get_object()
        require_role(request.user, self.delete_roles)
        self.perform_destroy(obj)
        return Response(status=status.HTTP_204_NO_CONTENT)
