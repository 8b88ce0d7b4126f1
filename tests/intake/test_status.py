from datetime import timedelta

import pytest
from django.utils import timezone

from intake.models import Clearance, Intake
from intake.screening import screen
from intake.status import EXPIRED, MISSING, screening_status, screening_statuses
from tests.factories import ClientFactory
from tests.intake.answers_fixtures import clear_answers

pytestmark = pytest.mark.django_db


def submit(client, when=None, **answers):
    answers = clear_answers(**answers)
    result = screen(answers)
    when = when or timezone.now()
    return Intake.objects.create(
        client=client,
        answers=answers,
        outcome=result.outcome,
        findings=result.as_dict()["findings"],
        restrictions=result.as_dict()["restrictions"],
        rules_version=result.rules_version,
        signature=answers["signature"],
        consented_at=when,
        submitted_at=when,
    )


def test_a_client_without_an_intake_is_missing():
    status = screening_status(ClientFactory())
    assert status.outcome == MISSING
    assert status.needs_intake


def test_an_intake_counts_for_90_days_then_expires():
    client = ClientFactory()
    submit(client, when=timezone.now() - timedelta(days=89))
    assert screening_status(client).outcome == "clear"
    assert screening_status(client, now=timezone.now() + timedelta(days=2)).outcome == EXPIRED


def test_the_latest_intake_that_still_counts_decides():
    client = ClientFactory()
    submit(client, when=timezone.now() - timedelta(days=3), pregnant=True, pregnancy_weeks=20)
    latest = submit(client)
    assert screening_status(client).intake == latest
    latest.superseded_at = timezone.now()
    latest.save()
    assert screening_status(client).outcome == "clearance"


def test_a_clearance_lifts_the_block_but_keeps_the_restrictions():
    client = ClientFactory()
    submit(client, osteoporosis=True)
    assert screening_status(client).blocks_treatment
    Clearance.objects.create(client=client, provider_name="Dr Lee", cleared_on=timezone.now())
    status = screening_status(client)
    assert status.clearance_on_file and not status.blocks_treatment
    assert status.restrictions.max_pressure == "light"


def test_nothing_but_a_new_intake_lifts_refer():
    client = ClientFactory()
    submit(client, saddle_numbness=True)
    Clearance.objects.create(client=client, provider_name="Dr Lee", cleared_on=timezone.now())
    assert screening_status(client).blocks_treatment
    submit(client)
    assert not screening_status(client).blocks_treatment


def test_statuses_for_many_clients_take_a_fixed_number_of_queries(django_assert_num_queries):
    clients = [ClientFactory() for _ in range(30)]
    for client in clients[:20]:
        submit(client)
        submit(client, anticoagulants=True)
    with django_assert_num_queries(1):
        statuses = screening_statuses([c.pk for c in clients])
    assert sum(s.outcome == MISSING for s in statuses.values()) == 10
    assert statuses[clients[0].pk].outcome == "precautions"
