"""The rest-of-day offers' API (issue 26, item 5): VTO and overtime offered to a team's
eligible operators, first come first served.

- `GET /api/v1/intraday/offers`: a manager lists the offers of the teams they manage (newest
  first; `?status=`, `?kind=`, `?queue=`); an operator lists the open offers they may take now
  (the same check as the acceptance: scheduling/selectors/intraday_offers.offer_check).
- `POST /api/v1/intraday/offers`: a manager posts one for a team they manage on a queue of its
  site; the team's eligible operators are told (app and e-mail).
- `POST /api/v1/intraday/offers/{id}/accept`: an operator takes it; the change is published as
  a new roster version.
- `POST /api/v1/intraday/offers/{id}/withdraw`: a manager withdraws the places of an open
  offer nobody has taken yet: it closes and its notices go from the operators' lists; what was
  accepted stands.
"""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import CollectionApi, ModelInputSerializer, require_role
from organisation.models import Employee
from organisation.roles import MANAGERS, OPERATORS, user_roles
from organisation.selectors.organisation import queue_list_visible, team_list_managed
from scheduling.models import IntradayOffer, IntradayOfferAcceptance
from scheduling.selectors.intraday_offers import offers_open_for
from scheduling.services.intraday_offers import offer_accept, offer_create, offer_withdraw

TAG = "intraday"


class IntradayOfferOutput(serializers.ModelSerializer):
    class Meta:
        model = IntradayOffer
        fields = [
            "id",
            "kind",
            "queue",
            "team",
            "start",
            "end",
            "slots",
            "taken",
            "status",
            "expires_at",
            "created_at",
        ]
        read_only_fields = fields


class IntradayOfferInput(ModelInputSerializer):
    """An offer: VTO (off from `start` until `end`) or overtime (work `start`..`end`) on a
    queue, for a team the manager manages on the queue's site; `slots` people; it closes at
    `expires_at`, before it starts."""

    slots = serializers.IntegerField(min_value=1, max_value=50)

    class Meta:
        model = IntradayOffer
        fields = ["kind", "queue", "team", "start", "end", "slots", "expires_at"]

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        user = self.context["request"].user
        fields["queue"].queryset = queue_list_visible(user=user)  # type: ignore[attr-defined]
        fields["team"].queryset = team_list_managed(user=user)  # type: ignore[attr-defined]
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["queue"].site_id != attrs["team"].site_id:
            raise serializers.ValidationError(
                {"queue": ["The queue is not of the team's site."]}, code="invalid"
            )
        return attrs


class IntradayOfferAcceptanceOutput(serializers.ModelSerializer):
    roster_version = serializers.IntegerField(source="roster.version", read_only=True)

    class Meta:
        model = IntradayOfferAcceptance
        fields = ["id", "offer", "employee", "roster", "roster_version", "accepted_at"]
        read_only_fields = fields


def _own_employee(user: Any) -> Employee | None:
    return Employee.objects.filter(user=user).select_related("team__site").first()


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        responses=IntradayOfferOutput(many=True),
        description=(
            "A manager: the offers of the teams they manage, newest first (filters status, "
            "kind, queue). An operator: the open offers they may take now (their team's, "
            "skilled, rested, under their weekly maximum: the acceptance's own check)."
        ),
    ),
    post=extend_schema(
        tags=[TAG],
        request=IntradayOfferInput,
        responses={201: IntradayOfferOutput},
        description=(
            "A manager posts an offer; the team's eligible operators are told. 400 "
            "offer_bad_window: it must run from now or later to a later time, within a day, "
            "and close before it starts."
        ),
    ),
)
class IntradayOffersApi(CollectionApi):
    create_roles = MANAGERS
    input_serializer = IntradayOfferInput
    output_serializer = IntradayOfferOutput
    filters = {"status": "status", "kind": "kind", "queue": "queue_id"}
    queryset = IntradayOffer.objects.none()

    def get_queryset(self) -> QuerySet[IntradayOffer]:
        return (
            IntradayOffer.objects.filter(team__in=team_list_managed(user=self.request.user))
            .select_related("queue", "team")
            .order_by("-start", "-created_at")
        )

    def get(self, request: Request) -> Response:
        roles = user_roles(request.user)
        if roles & MANAGERS:
            return super().get(request)
        if not roles & OPERATORS:
            raise PermissionDenied()
        me = _own_employee(request.user)
        offers = offers_open_for(employee=me, now=timezone.now()) if me is not None else []
        page = self.paginate_queryset(offers)
        return self.get_paginated_response(IntradayOfferOutput(page, many=True).data)

    def perform_create(self, data: dict[str, Any]) -> IntradayOffer:
        return offer_create(user=self.request.user, **data)


class IntradayOfferAcceptApi(APIView):
    """Take the offer (an operator of its team): 201 with the acceptance and the roster
    version that published it. 403 offer_not_eligible (not skilled, no such shift, or busy),
    offer_after_vto (VTO taken that day: no overtime); 409 offer_taken, offer_expired,
    offer_already_accepted, offer_breaks_rules (`extra.violations`: each rule's sentence,
    e.g. "2 h of rest before this shift, 11 h required"), offer_leaves_trainee_alone; 404 for
    an offer of another team. Nothing is written on a refusal."""

    @extend_schema(tags=[TAG], request=None, responses={201: IntradayOfferAcceptanceOutput})
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, OPERATORS)
        me = _own_employee(request.user)
        if me is None:
            raise NotFound()
        offer = (
            IntradayOffer.objects.filter(team_id=me.team_id, pk=pk)
            .select_related("queue__site", "team__site")
            .first()
        )
        if offer is None:
            raise NotFound()
        accepted = offer_accept(offer=offer, employee=me, user=request.user)
        return Response(
            IntradayOfferAcceptanceOutput(accepted).data, status=status.HTTP_201_CREATED
        )


class IntradayOfferWithdrawApi(APIView):
    """Withdraw the offer's open places: 200 with it (status cancelled; again: the same). A
    partly taken offer: its remaining places are withdrawn and what was accepted stands
    (`taken` says how many). 409 offer_withdraw_accepted once every place is taken (nothing
    left to withdraw), offer_expired once it expired; 404 for an offer of a team you do not
    manage."""

    error_statuses = (404, 409)

    @extend_schema(tags=[TAG], request=None, responses={200: IntradayOfferOutput})
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, MANAGERS)
        offer = IntradayOffer.objects.filter(
            team__in=team_list_managed(user=request.user), pk=pk
        ).first()
        if offer is None:
            raise NotFound()
        return Response(IntradayOfferOutput(offer_withdraw(offer=offer, user=request.user)).data)
