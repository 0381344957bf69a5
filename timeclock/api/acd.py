"""The ACD feed's APIs: the phone system posts agent states and interval statistics in
batches with its site's integration token (`Authorization: Device <token>` of a device made
as an ACD feed); a manager imports an interval export file. One result per row, in order."""

import uuid
from datetime import datetime
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from organisation.api.base import InputSerializer, require_role
from organisation.api.fields import (
    EARLIEST_INSTANT,
    END_INSTANT,
    WINDOW_MESSAGE,
    AwareDateTimeField,
)
from organisation.roles import MANAGERS
from organisation.selectors.organisation import site_list_managed
from timeclock.errors import AcdBatchTooLarge
from timeclock.models import AgentState, Device
from timeclock.services.acd import (
    AcdIntervalInput,
    AcdResult,
    AgentStateInput,
    acd_intervals_ingest,
    agent_states_ingest,
)
from timeclock.services.acd_csv import acd_csv_import, acd_file_read

MAX_BATCH = 500
MAX_COUNT = 2**31 - 1
MAX_SECONDS = 2**63 - 1
TAG = "acd"


class IsAcdFeed(BasePermission):
    """A device provisioned as its site's ACD feed."""

    def has_permission(self, request: Request, view: Any) -> bool:
        return isinstance(request.auth, Device) and request.auth.is_acd_feed


class AgentStateItemInput(InputSerializer):
    event_id = serializers.UUIDField()
    employee_number = serializers.CharField(max_length=32)
    state = serializers.ChoiceField(choices=AgentState.State.choices)
    started_at = AwareDateTimeField()
    ended_at = AwareDateTimeField(required=False, allow_null=True)


class AcdIntervalItemInput(InputSerializer):
    event_id = serializers.UUIDField()
    queue = serializers.CharField(max_length=100, help_text="The queue's name or id")
    interval_start = AwareDateTimeField()
    interval_minutes = serializers.IntegerField(min_value=1, max_value=1440)
    offered = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    answered = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    abandoned = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    answered_within_goal = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)
    handle_seconds = serializers.IntegerField(min_value=0, max_value=MAX_SECONDS)
    wait_seconds = serializers.IntegerField(min_value=0, max_value=MAX_SECONDS)


class AgentStatesInput(InputSerializer):
    states = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        help_text="Up to 500 objects with the fields of AgentStateItem",
    )


class AgentStatesSchema(serializers.Serializer):
    """What the feed sends (documentation: rows are checked one by one, see _state_row)."""

    states = AgentStateItemInput(many=True)


class AcdIntervalsSchema(serializers.Serializer):
    intervals = AcdIntervalItemInput(many=True)


class AcdIntervalsInput(InputSerializer):
    intervals = serializers.ListField(child=serializers.DictField(), allow_empty=False)


class AcdResultOutput(serializers.Serializer):
    event_id = serializers.CharField()
    status = serializers.CharField(help_text="accepted | duplicate | refused")
    error = serializers.DictField(required=False)


class AcdBatchOutput(serializers.Serializer):
    results = AcdResultOutput(many=True)


def _first_error(errors: Any) -> dict[str, str]:
    for field, problems in errors.items():
        detail = problems[0] if isinstance(problems, list) else problems
        return {"code": str(getattr(detail, "code", "invalid")), "message": f"{field}: {detail}"}
    return {"code": "invalid", "message": str(errors)}


def _result(result: AcdResult) -> dict[str, Any]:
    body: dict[str, Any] = {"event_id": result.event_id, "status": result.status}
    if result.error:
        body["error"] = result.error
    return body


class RowRefused(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.error = {"code": code, "message": message}


STATES = frozenset(AgentState.State.values)


def _instant(raw: Any, name: str, *, required: bool = True) -> datetime | None:
    """An ISO 8601 instant with its offset, in the API's window (as AwareDateTimeField)."""
    if raw is None and not required:
        return None
    if not isinstance(raw, str):
        raise RowRefused("required" if raw is None else "invalid", f"{name}: give a date-time.")
    try:
        moment = datetime.fromisoformat(raw.strip())
    except ValueError:
        raise RowRefused("invalid", f"{name}: not an ISO 8601 date-time.") from None
    if moment.tzinfo is None:
        raise RowRefused("naive", f"{name}: give the UTC offset, e.g. 2026-03-29T21:58:00+02:00.")
    if not EARLIEST_INSTANT <= moment < END_INSTANT:
        raise RowRefused("date_out_of_range", f"{name}: {WINDOW_MESSAGE}")
    return moment


def _state_row(raw: Any) -> AgentStateInput:
    """One agent state, parsed by hand (the serializer's rules, a tenth of its time: the
    feed's hot path); AgentStateItemInput documents the same fields."""
    if not isinstance(raw, dict):
        raise RowRefused("invalid", "A state is an object.")
    unknown = set(raw) - {"event_id", "employee_number", "state", "started_at", "ended_at"}
    if unknown:
        raise RowRefused("unknown_field", f"{sorted(unknown)[0]}: unknown field.")
    try:
        event_id = uuid.UUID(str(raw.get("event_id")))
    except ValueError:
        raise RowRefused("invalid", "event_id: not a UUID.") from None
    number = raw.get("employee_number")
    if not isinstance(number, str) or not number.strip() or len(number) > 32:
        raise RowRefused("invalid", "employee_number: give the operator's number.")
    state = raw.get("state")
    if state not in STATES:
        raise RowRefused("invalid_choice", f"state: {state!r} is not a valid choice.")
    return AgentStateInput(
        event_id=event_id,
        employee_number=number.strip(),
        state=state,
        started_at=_instant(raw.get("started_at"), "started_at"),  # type: ignore[arg-type]
        ended_at=_instant(raw.get("ended_at"), "ended_at", required=False),
    )


def _serialized_row(item_input: Any, item: Any) -> Any:
    def parse(raw: Any) -> Any:
        row = item_input(data=raw)
        if not row.is_valid():
            raise RowRefused(**_first_error(row.errors))
        return item(**row.validated_data)

    return parse


def _batch(request: Request, key: str, envelope: Any, parse: Any, ingest: Any) -> Response:
    """Parse the rows (a malformed row is refused alone), ingest the others, answer in order."""
    rows = request.data.get(key) if isinstance(request.data, dict) else None
    if isinstance(rows, list) and len(rows) > MAX_BATCH:
        raise AcdBatchTooLarge()
    batch = envelope(data=request.data)
    batch.is_valid(raise_exception=True)
    parsed: list[Any] = []
    invalid: dict[int, dict[str, Any]] = {}
    for n, raw in enumerate(batch.validated_data[key]):
        try:
            parsed.append(parse(raw))
        except RowRefused as refused:
            parsed.append(None)
            invalid[n] = {
                "event_id": str(raw.get("event_id", "")),
                "status": "refused",
                "error": refused.error,
            }
    device = request.auth
    stored = iter(
        ingest(items=[p for p in parsed if p is not None], site=device.site, device=device)
    )
    body = [invalid[n] if p is None else _result(next(stored)) for n, p in enumerate(parsed)]
    return Response({"results": body})


class AgentStatesApi(APIView):
    """Up to 500 agent states; the same event_id again is a `duplicate` forever."""

    permission_classes = [IsAcdFeed]

    @extend_schema(tags=[TAG], request=AgentStatesSchema, responses=AcdBatchOutput)
    def post(self, request: Request) -> Response:
        return _batch(
            request,
            "states",
            AgentStatesInput,
            _state_row,
            agent_states_ingest,
        )


class AcdIntervalsApi(APIView):
    """Up to 500 interval statistics of the site's queues."""

    permission_classes = [IsAcdFeed]

    @extend_schema(tags=[TAG], request=AcdIntervalsSchema, responses=AcdBatchOutput)
    def post(self, request: Request) -> Response:
        return _batch(
            request,
            "intervals",
            AcdIntervalsInput,
            _serialized_row(AcdIntervalItemInput, AcdIntervalInput),
            acd_intervals_ingest,
        )


class AcdImportInput(InputSerializer):
    site = serializers.UUIDField()
    queue = serializers.CharField(max_length=100, help_text="The queue's name or id")
    file = serializers.FileField()
    interval_minutes = serializers.IntegerField(min_value=1, max_value=1440, default=30)


class AcdImportResultOutput(AcdResultOutput):
    line = serializers.IntegerField()


class AcdImportOutput(serializers.Serializer):
    results = AcdImportResultOutput(many=True)


class AcdImportApi(APIView):
    """A manager imports an ACD interval export (Avaya CMS / Genesys layout) for one queue
    of a site they manage; times must carry their UTC offset. One result per data row."""

    parser_classes = [MultiPartParser]
    error_statuses = (413,)  # a file over acd_csv.MAX_BYTES

    @extend_schema(tags=[TAG], request=AcdImportInput, responses=AcdImportOutput)
    def post(self, request: Request) -> Response:
        require_role(request.user, MANAGERS)
        serializer = AcdImportInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        site = site_list_managed(user=request.user).filter(pk=data["site"]).first()
        if site is None:
            raise NotFound()
        rows = acd_csv_import(
            site=site,
            queue=data["queue"],
            content=acd_file_read(data["file"]),
            interval_minutes=data["interval_minutes"],
            user=request.user,
        )
        return Response({"results": [{"line": r.line, **_result(r.result)} for r in rows]})
