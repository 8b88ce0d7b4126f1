import pytest

from clinic.core.demo import seed_people
from intake import demo
from intake.models import AlertKind, Clearance, Intake, IntakeAlert
from intake.status import screening_statuses

pytestmark = pytest.mark.django_db


def test_the_demo_clients_have_every_outcome_once_however_often_it_runs():
    people = seed_people()
    demo.seed(people)
    demo.seed(people)

    statuses = screening_statuses([c.pk for c in people.clients])
    by_client = [(statuses[c.pk].outcome, statuses[c.pk].clearance_on_file) for c in people.clients]
    assert by_client == [
        ("precautions", False),
        ("clear", False),
        ("clearance", True),
        ("clearance", False),
        ("refer", False),
        ("missing", False),
    ]
    assert Intake.objects.count() == 5
    assert Clearance.objects.count() == 1
    unseen = IntakeAlert.objects.filter(recipient=people.admin, seen_at__isnull=True)
    assert sorted(unseen.values_list("kind", flat=True)) == [
        AlertKind.CLEARANCE,  # the one still waiting for a note; the cleared one is seen
        AlertKind.REFER,
    ]
