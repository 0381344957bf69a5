"""POST /api/v1/intraday/offers/{id}/withdraw: a manager withdraws the places of an open VTO or
overtime offer nobody has taken yet (issue 26): it closes and its notices go from the
operators' lists; what was accepted stands."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import require_role
from organisation.roles import MANAGERS
from organisation.selectors.organisation import team_list_managed
from scheduling.models import IntradayOffer
from scheduling.services.intraday_offers import offer_withdraw


class IntradayOfferOutput(serializers.ModelSerializer):
    class Meta:
        model = IntradayOffer
        fields = ["id", "kind", "queue", "team", "start", "end", "slots", "taken", "status"]
        read_only_fields = fields


class IntradayOfferWithdrawApi(APIView):
    """Withdraw the offer's open places: 200 with it (status cancelled; again: the same). A
    partly taken offer: its remaining places are withdrawn and what was accepted stands
    (`taken` says how many). 409 offer_withdraw_accepted once every place is taken (nothing
    left to withdraw), offer_expired once it expired; 404 for an offer of a team you do not
    manage."""

    error_statuses = (404, 409)

    @extend_schema(tags=["intraday"], request=None, responses={200: IntradayOfferOutput})
    def post(self, request: Request, pk: str) -> Response:
        require_role(request.user, MANAGERS)
        offer = IntradayOffer.objects.filter(
            team__in=team_list_managed(user=request.user), pk=pk
        ).first()
        if offer is None:
            raise NotFound()
        return Response(IntradayOfferOutput(offer_withdraw(offer=offer, user=request.user)).data)
