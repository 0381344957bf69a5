"""My notices in the API: listed newest first with their read time, filtered to the unread,
marked read (some or all) without touching anyone else's; bad input refused."""

import pytest

from organisation.models import Notice
from tests.conftest import Org, client_for

pytestmark = pytest.mark.django_db
LIST = "/api/v1/me/notices"
READ = "/api/v1/me/notices/read"


def _notices(user, n: int) -> list[Notice]:
    return [
        Notice.objects.create(recipient=user, event_key=f"e{i}", subject=f"s{i}", body="b")
        for i in range(n)
    ]


def test_mark_some_then_all_read_and_list_the_unread(org: Org) -> None:
    mine = _notices(org.op_a1.user, 3)
    theirs = _notices(org.op_a2.user, 1)
    me = client_for(org.op_a1.user)
    some = me.post(READ, {"ids": [mine[0].pk, theirs[0].pk, 999_999]}, format="json")
    assert some.status_code == 200
    assert some.json() == {"marked": 1, "unread": 2}
    unread = me.get(LIST, {"unread": "1"}).json()["results"]
    assert [n["id"] for n in unread] == [mine[2].pk, mine[1].pk]
    listed = {n["id"]: n["read_at"] for n in me.get(LIST).json()["results"]}
    assert listed[mine[0].pk] is not None
    assert listed[mine[1].pk] is None
    assert me.post(READ, {}, format="json").json() == {"marked": 2, "unread": 0}
    assert me.post(READ, {}, format="json").json() == {"marked": 0, "unread": 0}
    theirs[0].refresh_from_db()
    assert theirs[0].read_at is None  # another person's notice is never touched


def test_bad_ids_and_unknown_fields_are_refused_and_nothing_is_marked(org: Org) -> None:
    _notices(org.op_a1.user, 1)
    me = client_for(org.op_a1.user)
    for body in ({"ids": ["x"]}, {"ids": [0]}, {"ids": [1], "read_at": "2026-01-01"}):
        answer = me.post(READ, body, format="json")
        assert answer.status_code == 400, body
    assert Notice.objects.filter(read_at__isnull=True).count() == 1


def test_anonymous_callers_are_refused(db: None) -> None:
    from rest_framework.test import APIClient

    assert APIClient().post(READ, {}, format="json").status_code in (401, 403)
