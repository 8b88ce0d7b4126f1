"""Demo plans, signed past notes with pain scores and some home-care practice.

For the first two demo clients (Alex, with precautions, and Sam, clear), each with their
primary therapist: a plan, four weekly past visits at 16:00 with signed notes, and practice
logs, so the progress chart has something to show. Visits are laid out by date (weeks before
this week's Monday), and every row is found before it is made, so seeding twice adds nothing.
"""

from datetime import time, timedelta

from clinic.booking.booking import plan_visit
from clinic.booking.models import Appointment, AppointmentStatus, Room, Service
from clinic.core.clinic_time import at_local, today, week_start
from intake.status import screening_status

from . import homecare, plans
from . import notes as note_service
from .models import PracticeSource, SessionNote

TECHNIQUES = [
    {
        "technique": "effleurage",
        "muscle": "gluteus_maximus",
        "side": "both",
        "pressure": "light",
        "minutes": 10,
    },
    {
        "technique": "kneading",
        "muscle": "gluteus_medius",
        "side": "both",
        "pressure": "moderate",
        "minutes": 15,
    },
    {
        "technique": "kneading",
        "muscle": "piriformis",
        "side": "left",
        "pressure": "moderate",
        "minutes": 10,
    },
]
HOME_CARE = [
    {
        "tool": "massage_ball",
        "technique": "kneading",
        "minutes": 5,
        "days": ["mon", "wed", "fri"],
        "time": "19:30",
    },
    {
        "tool": "hands",
        "technique": "effleurage",
        "minutes": 3,
        "days": ["tue", "thu", "sat"],
        "time": "08:00",
    },
]
# (pain before, pain after) for the four past sessions of each client.
PAIN = [[(7, 4), (6, 4), (5, 3), (4, 2)], [(5, 3), (5, 4), (4, 2), (3, 2)]]
SUBJECTIVE = [
    "Low back ache after long days at the desk; left buttock tight.",
    "Better for two days after the last visit, then stiff again.",
    "Slept better this week; sitting still tightens the left side.",
    "Much easier to get up from a chair; doing the ball routine most days.",
]
PSFS = [
    {"activity": "Sitting for an hour", "score": 3},
    {"activity": "Bending to tie shoes", "score": 5},
]


def _plan(client, therapist, starts_on):
    if client.treatment_plans.exists():
        return plans.active_plan(client)
    data = {
        "goals": [
            {"goal": "muscle_relaxation", "measure": "Pain (0-10)", "baseline": 7, "target": 3},
            {"goal": "flexibility", "measure": "PSFS average (0-10)", "baseline": 4, "target": 8},
        ],
        "target_muscles": [
            {"muscle": "gluteus_medius", "side": "both"},
            {"muscle": "piriformis", "side": "left"},
        ],
        "techniques": [{**t, "progression": "as_tolerated"} for t in TECHNIQUES],
        "home_care": HOME_CARE,
        "frequency_weeks": 1,
        "visits_planned": 6,
        "starts_on": starts_on,
        "review_on": starts_on + timedelta(weeks=6),
    }
    return plans.save_plan(client, therapist, data, therapist.user)


def _past_visit(client, therapist, room, service, starts_at):
    visit = Appointment.objects.filter(client=client, therapist=therapist, starts_at=starts_at)
    if visit.exists():
        return visit.get()
    planned = plan_visit(client, therapist, room.pk, service, starts_at)
    return Appointment.objects.create(
        client=client,
        therapist=therapist,
        room=room,
        service=service,
        starts_at=starts_at,
        ends_at=planned.ends_at,
        busy_until=planned.busy_until,
        status=AppointmentStatus.CHECKED_IN,
        checked_in_at=starts_at,
    )


def _signed_note(visit, therapist, number, pain):
    if SessionNote.objects.filter(appointment=visit).exists():
        return
    # Written on the day, as a clinic would: demo notes are not charted late.
    note, _ = note_service.start_note(visit, therapist.user, now=visit.ends_at)
    fields = {
        "subjective": SUBJECTIVE[number],
        "objective": "Tender left piriformis; hip rotation limited on the left.",
        "assessment": "Gluteal tension easing; responding to moderate pressure.",
        "pain_before": pain[0],
        "pain_after": pain[1],
        "techniques": TECHNIQUES,
        "trigger_points": [{"muscle": "piriformis", "side": "left", "tenderness": 3 - number // 2}],
        "body_map": {
            "gluteus_medius_left": "treated",
            "gluteus_medius_right": "treated",
            "gluteus_maximus_left": "treated",
            "piriformis_left": "tender",
        },
        "client_response": "Relaxed; said the left side felt looser.",
    }
    if number == 0:
        fields["psfs"] = PSFS
    note_service.save_draft(note, fields, therapist.user)
    note_service.sign_note(note, therapist.user)


def seed(people):
    """Plans, four signed past sessions and home-care practice for two demo clients."""
    room = Room.objects.order_by("name").first()
    service = Service.objects.order_by("name").first()
    if room is None or service is None:
        return
    monday = week_start(today())
    for index, client in enumerate(people.clients[:2]):
        therapist = client.primary_therapist
        if therapist is None or screening_status(client).blocks_treatment:
            continue
        first_day = monday - timedelta(weeks=4) + timedelta(days=1 + 2 * index)
        plan = _plan(client, therapist, first_day)
        for number, pain in enumerate(PAIN[index]):
            starts_at = at_local(first_day + timedelta(weeks=number), time(16))
            visit = _past_visit(client, therapist, room, service, starts_at)
            _signed_note(visit, therapist, number, pain)
        for days_ago in (2, 4, 5, 7, 9, 11):
            homecare.record_practice(
                client, plan, today() - timedelta(days=days_ago), None, PracticeSource.REMINDER
            )
