"""Outcomes: pain falling meaningfully within the first six visits, and PSFS change."""

from decimal import Decimal

import pytest
from django.utils import timezone

from clinic.core.clinic_time import clinic_zone
from clinic.reports import outcomes
from sessions.models import Amendment
from tests.factories import ClientFactory
from tests.reports import scene as week


@pytest.fixture
def scene(db, therapist):
    return week.build(therapist)


def course(scene, pains, psfs=None, first_day=0, hour=16):
    """Signed notes a week apart, pain before as given; PSFS scores by visit number."""
    client, notes = ClientFactory(), []
    for number, pain in enumerate(pains):
        visit = week.visit(scene, client, scene.therapist, week.at(first_day + 7 * number, hour))
        scores = (psfs or {}).get(number)
        notes.append(
            week.note(
                visit,
                pain_before=pain,
                psfs=[{"activity": "Sitting", "score": scores}] if scores is not None else [],
                signed_at=timezone.now(),
                signed_by=scene.therapist.user,
                content_hash="x" * 64,
            )
        )
    return client, notes


def test_pain_falling_two_points_within_six_visits_is_meaningful(scene):
    course(scene, [6, 5, 4], psfs={0: 3, 2: 6})  # 6 -> 4: two points
    course(scene, [5, 5, 4], hour=17)  # one point, 20%: not meaningful
    course(scene, [7], hour=18)  # one visit: not judged yet
    course(scene, [8, 8, 8, 8, 8, 8, 2], hour=19)  # the fall comes at visit 7: too late
    result = outcomes.figures(week.period(clinic_zone()))
    assert (result["clients"], result["judged"], result["improved"]) == (4, 3, 1)
    assert result["improved_rate"] == Decimal("33.3")
    assert (result["psfs_clients"], result["psfs_change"]) == (1, 3)


def test_an_amended_pain_score_counts_as_corrected(scene):
    _, notes = course(scene, [5, 5])
    Amendment.objects.create(
        note=notes[1],
        author=scene.therapist.user,
        reason="typo",
        corrections={"pain_before": 3},
        content_hash="y" * 64,
    )
    assert outcomes.figures(week.period(clinic_zone()))["improved"] == 1


def test_clients_who_started_before_the_period_are_not_in_its_cohort(scene):
    course(scene, [6, 3], first_day=-14)
    assert outcomes.figures(week.period(clinic_zone()))["clients"] == 0


def test_a_therapists_cohort_is_the_clients_who_started_with_them(scene):
    course(scene, [6, 3], psfs={0: 2, 1: "n/a"})  # a score that is not a number is skipped
    period = week.period(clinic_zone())
    mine = outcomes.figures(period, scene.therapist)
    assert (mine["clients"], mine["improved"], mine["psfs_clients"]) == (1, 1, 0)
    assert outcomes.figures(period, scene.other)["clients"] == 0
