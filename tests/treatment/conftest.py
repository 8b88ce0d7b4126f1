"""Helpers for the treatment tests: a screened client, visits, plans and notes."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.booking.models import AppointmentStatus
from intake.models import Clearance, Intake
from intake.screening import screen
from sessions import notes as note_service
from sessions import plans as plan_service
from tests.factories import AppointmentFactory, RoomFactory, ServiceFactory
from tests.intake.answers_fixtures import clear_answers


def screened(client, when=None, **answers):
    """Give the client an intake with these answers (all clear otherwise)."""
    answers = clear_answers(**answers)
    result = screen(answers).as_dict()
    when = when or timezone.now() - timedelta(minutes=5)
    return Intake.objects.create(
        client=client,
        answers=answers,
        outcome=result["outcome"],
        findings=result["findings"],
        restrictions=result["restrictions"],
        rules_version=result["rules_version"],
        signature=answers["signature"],
        consented_at=when,
        submitted_at=when,
    )


def clear(client):
    """Record a provider's clearance for the client's current intake."""
    return Clearance.objects.create(
        client=client, provider_name="Dr Lee", cleared_on=timezone.localdate()
    )


def visit(client, therapist, starts_at=None, status=AppointmentStatus.CHECKED_IN):
    """An appointment, checked in by default, starting now unless told otherwise."""
    starts_at = starts_at or timezone.now().replace(microsecond=0)
    return AppointmentFactory(
        client=client,
        therapist=therapist,
        room=RoomFactory(name="Room 1"),
        service=ServiceFactory(name="Gluteal release"),
        starts_at=starts_at,
        status=status,
        checked_in_at=starts_at if status == AppointmentStatus.CHECKED_IN else None,
    )


def formset(prefix, *rows):
    """A formset as the browser posts it: the management form, then each row's fields."""
    data = {f"{prefix}-TOTAL_FORMS": str(len(rows)), f"{prefix}-INITIAL_FORMS": "0"}
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


TECHNIQUE = {
    "technique": "kneading",
    "muscle": "gluteus_medius",
    "side": "left",
    "pressure": "moderate",
    "minutes": 10,
}


def plan_data(**overrides):
    """A valid plan for a clear client."""
    data = {
        "goals": [
            {"goal": "muscle_relaxation", "measure": "Pain (0-10)", "baseline": 7, "target": 3}
        ],
        "target_muscles": [{"muscle": "gluteus_medius", "side": "both"}],
        "techniques": [{**TECHNIQUE, "progression": "as_tolerated"}],
        "home_care": [
            {
                "tool": "massage_ball",
                "technique": "kneading",
                "minutes": 5,
                "days": ["mon", "wed", "fri"],
                "time": "19:30",
            }
        ],
        "frequency_weeks": 1,
        "visits_planned": 6,
        "review_on": timezone.localdate() + timedelta(weeks=6),
    }
    data.update(overrides)
    return data


def make_plan(client, therapist, **overrides):
    return plan_service.save_plan(client, therapist, plan_data(**overrides), therapist.user)


def signed_note(client, therapist, starts_at=None, pain=(6, 3), **fields):
    """A checked-in visit with a note written and signed (the visit is then completed)."""
    appointment = visit(client, therapist, starts_at)
    note, _ = note_service.start_note(appointment, therapist.user)
    data = {"subjective": "Sore after gardening.", "pain_before": pain[0], "pain_after": pain[1]}
    data.update(fields)
    note_service.save_draft(note, data, therapist.user)
    return note_service.sign_note(note, therapist.user)


def refusals(response):
    """The text of the page's "Not saved" box (empty when there is none)."""
    body = response.content.decode()
    start = body.find('class="refusals"')
    return "" if start < 0 else body[start : body.find("</div>", start)]


@pytest.fixture
def clear_client(a_client):
    """The therapist's client, screened all clear."""
    screened(a_client)
    return a_client


@pytest.fixture
def checked_in(clear_client, therapist):
    return visit(clear_client, therapist)


@pytest.fixture
def draft(checked_in, therapist):
    note, _ = note_service.start_note(checked_in, therapist.user)
    return note
