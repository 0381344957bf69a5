"""The OpenAPI schema tells the truth (issue 23, item 13): schemathesis reads /api/schema/
from the live test server and sends every operation generated requests as an operator, a
manager and a payroll officer. No answer may be a server error, and every answer (status,
content type, headers, body) must be one the schema documents.

Deterministic and bounded: Hypothesis is derandomized (the examples depend on the schema
alone), each operation gets at most WFM_SCHEMATHESIS_EXAMPLES examples (default 4), no
example database, no deadlines and no response-time check (a slow machine must not fail it).
"""

import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.punches import past_shift, punch_make
from timeclock.models import PayPolicy
from timeclock.services.devices import device_register
from timeclock.services.periods import period_close, period_create

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLES = int(os.environ.get("WFM_SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Tally:
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: int = 0
    failures: list[str] = field(default_factory=list)


def _seed(org: Org) -> dict[str, str]:
    """Objects for the generated requests to meet: a worked week with a late day and a
    missing clock-out, a closed and an open pay period, a pay policy, a queue, a device. The
    ids by the collection their paths name, for half the examples' path parameters."""
    policy = PayPolicy.objects.create(site=org.amsterdam, lateness_mode="per_minute")
    queue = queue_make(site=org.amsterdam, name="Sales")
    monday = date(2026, 6, 1)
    shifts = []
    for day in range(3):
        shift = past_shift(employee=org.op_a1, day=monday + timedelta(days=day))
        punch_make(employee=org.op_a1, kind="in", at=shift.start + timedelta(minutes=7 * day))
        if day < 2:
            punch_make(employee=org.op_a1, kind="out", at=shift.end)
        shifts.append(shift)
    closed = period_create(site=org.amsterdam, start_date=monday, end_date=monday + timedelta(6))
    period_close(period=closed, user=org.payroll, force_reason="seed")
    period_create(
        site=org.amsterdam, start_date=monday + timedelta(7), end_date=monday + timedelta(13)
    )
    device, _ = device_register(site=org.amsterdam, name="Lobby", is_kiosk=False, created_by=None)
    return {
        "sites": str(org.amsterdam.pk),
        "teams": str(org.team_a.pk),
        "queues": str(queue.pk),
        "employees": str(org.op_a1.pk),
        "rosters": str(shifts[0].roster_id),
        "shifts": str(shifts[1].pk),
        "devices": str(device.pk),
        "pay-periods": str(closed.pk),
        "payslips": str(closed.pk),
        "pay-policies": str(policy.pk),
    }


def _real_ids(schema: Any, ids: dict[str, str]) -> None:
    """Half the examples of an operation on a seeded object use its real id: the answers
    past the 404 are exercised too (the other half keep schemathesis' own values)."""

    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        segments = context.operation.path.strip("/").split("/")
        real = {}
        for n, segment in enumerate(segments):
            name = segment.strip("{}")
            known = n > 0 and segments[n - 1] in ids
            if segment.startswith("{") and name in path_parameters and known:
                real[name] = ids[segments[n - 1]]
        if not real:
            return st.just(path_parameters)
        return st.sampled_from([{**path_parameters, **real}, path_parameters])


def _run_role(schema: Any, base_url: str, token: str, tally: Tally) -> None:
    headers = {"Authorization": f"Token {token}"}
    session = requests.Session()
    for result in schema.get_all_operations():
        _exercise(result.ok(), base_url, session, headers, tally)


def _exercise(
    operation: Any, base_url: str, session: Any, headers: dict[str, str], tally: Tally
) -> None:
    """Send one operation its generated examples; count the answers, keep the failures."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def exercise(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers)
        tally.requests += 1
        tally.statuses[response.status_code] += 1
        tally.server_errors += response.status_code >= 500
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            title = f"{operation.method.upper()} {operation.path} -> {response.status_code}"
            kinds = "; ".join(sorted({f.title for f in group.exceptions}))
            tally.failures.append(f"{title}: {kinds}\n{str(group)[:1500]}")

    exercise()


@pytest.mark.parametrize("role", ["operator", "manager", "payroll"])
def test_every_operation_answers_as_the_schema_says_for_each_role(
    org: Org, live_server: Any, role: str
) -> None:
    ids = _seed(org)
    user = {"operator": org.op_a1.user, "manager": org.manager_a, "payroll": org.payroll}[role]
    token = Token.objects.create(user=user).key
    schema = schemathesis.openapi.from_url(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {token}"},
    )
    _real_ids(schema, ids)
    tally = Tally()
    _run_role(schema, live_server.url, token, tally)
    print(  # the run's figures, for the report
        f"schemathesis {role}: {tally.requests} requests, statuses {dict(tally.statuses)}, "
        f"{tally.server_errors} server errors, {len(tally.failures)} failures"
    )
    assert tally.server_errors == 0, "\n\n".join(tally.failures)
    assert tally.failures == [], "\n\n".join(tally.failures)
