"""A roster build refused before solving because a shift template's breaks can never sit apart:
the job names the template and says why, in English and in Dutch."""

from typing import Any

import pytest
from django.urls import reverse

from organisation.models import Job
from scheduling.models import Roster
from tests.conftest import Org
from tests.factories.rosters import RosterSetup, template_make
from tests.web.conftest import build_job

pytestmark = pytest.mark.django_db
FIXED = {"length_minutes": 30, "earliest_offset_minutes": 180, "latest_offset_minutes": 180}


def test_a_template_whose_breaks_always_overlap_refuses_the_build_and_says_why(
    org: Org, setup: RosterSetup, commits: None, login: Any
) -> None:
    template_make(site=org.amsterdam, name="Double lunch", breaks=[FIXED, FIXED])
    job = build_job(org, setup, deterministic=True)
    assert job.status == Job.Status.FAILED
    assert job.result["code"] == "roster_rules_contradict"
    (found,) = job.result["extra"]["contradictions"]
    assert found["rule"] == "template_breaks_overlap"
    name = f"Double lunch ({setup.queue.name})"  # a phone template worked on the queue
    assert found["reason"]["values"] == {"template": name, "length": 480}
    assert found["message"].startswith(f"template {name}: its breaks can never sit apart")
    assert not Roster.objects.filter(job=job).exists()
    url = reverse("web:job", args=[job.pk])
    english = login(org.manager_a).get(url).content.decode()
    assert f"template {name}: its breaks can never sit apart in a shift of 8 h" in english
    dutch = login(org.manager_a, language="nl").get(url).content.decode()
    assert f"sjabloon {name}: de pauzes kunnen in een dienst van 8 u nooit" in dutch
