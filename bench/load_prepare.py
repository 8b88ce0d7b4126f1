"""bench/load.py --prepare: inside Django on a seeded chain, the logins and ids the load needs.

Prints one JSON line: session keys per role (made by Django's own login, so whatever the
session backend is), a CSRF secret, and the ids the page paths are formatted with.
"""

import json
import secrets
from datetime import time, timedelta
from urllib.parse import quote

SESSIONS_PER_ROLE = 8
DRAFT_NOTES = 8


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client as HttpClient

    from clinic.accounts.models import Role, Therapist, User
    from clinic.booking.models import Appointment, AppointmentStatus, Service, Weekday
    from clinic.core.clinic_time import at_local, today, week_start
    from clinic.front.chain.seed import SERVICES
    from intake.demo import CLEAR
    from sessions.models import SessionNote
    from sessions.notes import start_note

    desk, _ = User.objects.get_or_create(
        email="desk@load.bench", defaults={"role": Role.FRONT_DESK, "first_name": "Desk"}
    )
    admin, _ = User.objects.get_or_create(
        email="admin@load.bench", defaults={"role": Role.CLINIC_ADMIN, "first_name": "Admin"}
    )
    # The client with the longest record, and the therapist who wrote it.
    top = (
        SessionNote.objects.values("client_id", "therapist_id")
        .annotate(notes=Count("id"))
        .order_by("-notes")
        .first()
    )
    if top is None:
        raise SystemExit("The chain has no signed notes: seed it at a larger --scale.")
    therapist = Therapist.objects.select_related("user").get(pk=top["therapist_id"])
    own_clients = list(
        therapist.appointments.values_list("client_id", flat=True).distinct()[:SESSIONS_PER_ROLE]
    )
    draft_notes = []
    visits = Appointment.objects.filter(
        therapist=therapist, status=AppointmentStatus.COMPLETED, session_note__isnull=True
    ).order_by("-starts_at")
    for visit in visits[:100]:
        try:
            note, _ = start_note(visit, therapist.user)
        except Exception:  # a client whose screening refuses a session: try the next visit
            continue
        draft_notes.append(note.pk)
        if len(draft_notes) == DRAFT_NOTES:
            break

    def sessions(user):
        keys = []
        for _ in range(SESSIONS_PER_ROLE):
            browser = HttpClient()
            browser.force_login(user)
            keys.append(browser.cookies[settings.SESSION_COOKIE_NAME].value)
        return keys

    # The busiest kind of day: the last working day before today (nobody works Sundays).
    day = today() - timedelta(days=1)
    if day.weekday() == Weekday.SUNDAY:
        day -= timedelta(days=1)
    monday = week_start(today()) + timedelta(days=7)
    start = at_local(monday, time.min)
    print(
        json.dumps(
            {
                "therapists": Therapist.objects.count(),
                "sessions": {
                    "desk": sessions(desk),
                    "therapist": sessions(therapist.user),
                    "admin": sessions(admin),
                },
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "csrf": secrets.token_hex(16),
                "day": day.isoformat(),
                "client": top["client_id"],
                "own_clients": own_clients,
                "draft_notes": draft_notes,
                "service": Service.objects.get(name=SERVICES[0][0]).pk,
                "week_start": quote(start.isoformat()),
                "week_end": quote((start + timedelta(days=7)).isoformat()),
                "answers": json.dumps({**CLEAR, "signature": "Load Bench"}),
            }
        )
    )
