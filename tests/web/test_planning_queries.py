"""Query counts of the planning and set-up list pages are pinned and do not grow with the
number of queues, forecasts, days or people."""

from datetime import timedelta

import pytest
from django.urls import reverse

from scheduling.services.forecasting import forecast_build
from tests.conftest import Org
from tests.factories import queue_make
from tests.factories.history import history_make, next_monday
from tests.web.test_queries import _count

pytestmark = pytest.mark.django_db

# Each count includes the session, the user, their groups and the navigation's own query.
QUEUES_PAGE = 5
FORECAST_PAGE = 8
STAFFING_PAGE = 9


def test_queues_page_queries_do_not_grow_with_the_queues(
    org: Org, login, django_assert_num_queries
) -> None:
    client = login(org.manager_a)
    history_make(queue_make(site=org.amsterdam, name="Retail"), weeks=2)
    _count(client, reverse("web:queues"), django_assert_num_queries, QUEUES_PAGE)
    for n in range(3):
        history_make(queue_make(site=org.amsterdam, name=f"Queue {n}"), weeks=2)
    _count(client, reverse("web:queues"), django_assert_num_queries, QUEUES_PAGE)


def test_forecast_page_queries_do_not_grow_with_the_forecasts(
    org: Org, login, django_assert_num_queries
) -> None:
    client = login(org.manager_a)
    queue = queue_make(site=org.amsterdam, name="Retail")
    history_make(queue, weeks=3)
    forecast_build(queue=queue, start=next_monday(queue), days=1, interval_minutes=60)
    _count(client, reverse("web:forecast"), django_assert_num_queries, FORECAST_PAGE)
    other = queue_make(site=org.amsterdam, name="Business")
    history_make(other, weeks=3)
    for day in range(3):
        forecast_build(
            queue=other, start=next_monday(queue) + timedelta(days=day), days=1, interval_minutes=60
        )
    _count(client, reverse("web:forecast"), django_assert_num_queries, FORECAST_PAGE)


def test_staffing_page_queries_do_not_grow_with_the_days(
    org: Org, login, django_assert_num_queries
) -> None:
    client = login(org.manager_a)
    queue = queue_make(site=org.amsterdam, name="Retail")
    history_make(queue, weeks=3)
    monday = next_monday(queue)
    forecast_build(queue=queue, start=monday, days=31, interval_minutes=30)
    url = reverse("web:staffing") + f"?queue={queue.pk}&start={monday}"
    _count(client, f"{url}&end={monday}", django_assert_num_queries, STAFFING_PAGE)
    _count(
        client, f"{url}&end={monday + timedelta(days=30)}", django_assert_num_queries, STAFFING_PAGE
    )


TEMPLATES_PAGE = 5
PEOPLE_PAGE = 7
DEVICES_PAGE = 7


def test_set_up_list_pages_queries_do_not_grow(org: Org, login, django_assert_num_queries) -> None:
    from tests.factories import employee_make
    from tests.factories.rosters import template_make
    from timeclock.services.devices import device_register

    client = login(org.manager_a)
    template_make(site=org.amsterdam, name="Day 1")
    device_register(site=org.amsterdam, name="Hall 1", is_kiosk=False, created_by=None)
    pages = {
        reverse("web:templates"): TEMPLATES_PAGE,
        reverse("web:people"): PEOPLE_PAGE,
        reverse("web:devices"): DEVICES_PAGE,
    }
    for url, expected in pages.items():
        _count(client, url, django_assert_num_queries, expected)
    retail = queue_make(site=org.amsterdam, name="Retail")
    for n in range(3):
        template_make(site=org.amsterdam, name=f"Late {n}", queue=retail)
        employee_make(team=org.team_a).queues.add(retail)
        device_register(site=org.amsterdam, name=f"Door {n}", is_kiosk=True, created_by=None)
    for url, expected in pages.items():
        _count(client, url, django_assert_num_queries, expected)
