"""A clinic chain's data for load benchmarks, written with COPY in minutes.

At scale 1: 100 therapists (each with a room, Monday to Saturday 8:00-20:00), 100,000 clients,
1,000,000 appointments over the past three years and the next four weeks (those half booked),
305,000 signed notes, an intake and a treatment plan for every client seen, and the visit
reminders. Scale 0.1 is a tenth of the clients, visits and notes for the same 100 therapists,
as busy each day but over a tenth of the time: each day looks the same, there is less past, so
comparing the two shows what grows with the data.

The exclusion constraints hold by construction: each therapist works in their own room on a
grid of one-hour slots (every chain service's visit and buffer fit in the hour), and each
client sees one therapist only, so no two live visits of a therapist, room or client overlap.
Signed notes carry the hash sessions/signing.py computes, so they verify like any other.
Seeded rows write no history events: pghistory's insert triggers are ignored on purpose, as
the rows stand for records imported from before, not changes made in Tranquil.
"""

import math
import random
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from datetime import time as wall

import pgtrigger
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from clinic.accounts.models import Client, Role, Therapist, User
from clinic.booking.models import Appointment, AppointmentStatus, Room, Service, WorkingHours
from clinic.core.clinic_time import at_local, clinic_zone, today
from clinic.core.models import ClinicSettings
from clinic.reminders.models import Channel, Reminder, ReminderKind, ReminderStatus, SkipReason
from intake.models import Intake
from sessions.models import SessionNote, TreatmentPlan

from . import content
from .copying import Loader
from .records import note_rows, plan_and_intake_rows

AHEAD_DAYS = 28
# The share of a past day's slots booked (about ten visits a day each), whatever the scale: the
# history is as long as it takes (three years at scale 1). The weeks ahead are half as full.
PAST_FILL = 0.89
AHEAD_FILL = 0.5
OPENS, SLOTS = 8, 12  # twelve one-hour slots from 8:00, Monday to Saturday
SERVICES = [  # name, minutes, buffer: each fits a one-hour slot
    ("Chain gluteal release 45 min", 45, 15),
    ("Chain follow-up 30 min", 30, 10),
    ("Chain low back and hips 50 min", 50, 10),
]
PAST_STATUSES = (
    [AppointmentStatus.COMPLETED, AppointmentStatus.CANCELLED, AppointmentStatus.NO_SHOW],
    [90, 6, 4],
)
HISTORY_ON_INSERT = (
    "accounts.Client:insert_insert",
    "booking.Appointment:insert_insert",
    "treatment.TreatmentPlan:insert_insert",
)
SEEDED = [User, Therapist, Room, Client, Appointment, Intake, TreatmentPlan, SessionNote, Reminder]


@dataclass(frozen=True)
class ChainSize:
    therapists: int
    clients: int
    appointments: int
    signed_notes: int

    @classmethod
    def at(cls, scale: float, therapists: int = 100) -> "ChainSize":
        """The chain's clients, visits and notes times `scale`, for `therapists`."""
        return cls(
            therapists=therapists,
            clients=max(therapists, round(100_000 * scale)),
            appointments=max(therapists, round(1_000_000 * scale)),
            signed_notes=round(305_000 * scale),
        )

    @property
    def history_days(self) -> int:
        """Days of past it takes each therapist to see their share at PAST_FILL, Sundays off."""
        working_days = self.appointments / self.therapists / (SLOTS * PAST_FILL)
        return math.ceil(working_days * 7 / 6) + 1


@dataclass(frozen=True)
class Grid:
    """The slots every therapist works, shared by all: start instants and local days."""

    starts: list[datetime]
    days: list[date]  # the local date of each slot
    past: list[int]  # indexes of slots that started before now
    ahead: list[int]


def slot_grid(size: ChainSize, now: datetime) -> Grid:
    zone = clinic_zone()
    starts, days = [], []
    first = today() - timedelta(days=size.history_days)
    for offset in range(size.history_days + AHEAD_DAYS):
        day = first + timedelta(days=offset)
        if day.weekday() == 6:
            continue
        opening = at_local(day, wall(OPENS), zone)
        for hour in range(SLOTS):
            starts.append(opening + timedelta(hours=hour))
            days.append(day)
    past = [i for i, start in enumerate(starts) if start < now]
    return Grid(starts, days, past, list(range(len(past), len(starts))))


def seed_chain(size: ChainSize, *, seed: int = 1, say: Callable[[str], None] = print) -> dict:
    """Write a chain of `size` in one transaction; returns the rows written per table."""
    rng = random.Random(seed)
    # Names that cannot clash with what is already there (with --force, another chain).
    tag = secrets.token_hex(3)
    now = timezone.now().replace(microsecond=0)
    loader = Loader(connection)
    started = time.perf_counter()

    def step(label: str) -> None:
        say(f"{time.perf_counter() - started:7.1f} s  {label}")

    with transaction.atomic(), pgtrigger.ignore(*HISTORY_ON_INSERT):
        with connection.cursor() as cursor:
            # pgtrigger sets its transaction-local flag on each ORM statement; COPY bypasses
            # Django's execute wrappers, so one statement sets it for the COPYs that follow.
            cursor.execute("SELECT 1")
        therapists, users, rooms = _staff(loader, size, tag)
        step(f"{len(therapists)} therapists, rooms and hours")
        clients = loader.next_ids(Client, size.clients)
        loader.copy(
            Client,
            ["id", "first_name", "last_name", "email", "primary_therapist_id", "created_at"],
            (
                (
                    client_id,
                    rng.choice(content.FIRST_NAMES),
                    rng.choice(content.LAST_NAMES),
                    f"c{n}.{tag}@chain.example",
                    therapists[_pool_of(n, size)],
                    now - timedelta(days=size.history_days),
                )
                for n, client_id in enumerate(clients)
            ),
        )
        step(f"{size.clients:,} clients")
        grid = slot_grid(size, now)
        visits = _appointments(loader, rng, size, grid, (therapists, rooms, clients), now)
        step(f"{len(visits):,} appointments")
        plans = plan_and_intake_rows(loader, rng, grid, visits, therapists, users, clients, now)
        step("intakes and treatment plans")
        note_rows(loader, rng, size, grid, visits, therapists, users, clients, plans, now)
        step("signed notes")
        _reminders(loader, grid, visits, clients, now)
        step("reminders")
        for model in SEEDED:
            loader.reset_sequence(model)
    # Django's foreign keys are deferred: PostgreSQL checks every row's at the commit.
    step("committed, foreign keys checked")
    with connection.cursor() as cursor:
        # VACUUM cannot run inside a transaction (a test's); ANALYZE alone still plans well.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    step("analysed")
    return loader.written


def _pool_of(client_number: int, size: ChainSize) -> int:
    """Clients are shared out in equal pools, one per therapist: a client sees one therapist."""
    return client_number * size.therapists // size.clients


def _staff(loader: Loader, size: ChainSize, tag: str) -> tuple[list[int], list[int], list[int]]:
    """Therapists (with logins that cannot sign in until given a password), rooms, hours."""
    users = list(loader.next_ids(User, size.therapists))
    unusable = make_password(None)
    loader.copy(
        User,
        ["id", "email", "first_name", "last_name", "role", "password"],
        (
            (
                user_id,
                f"t{n}.{tag}@chain.example",
                content.FIRST_NAMES[n % len(content.FIRST_NAMES)],
                f"Chain{n}",
                Role.THERAPIST,
                unusable,
            )
            for n, user_id in enumerate(users)
        ),
    )
    therapists = list(loader.next_ids(Therapist, size.therapists))
    loader.copy(
        Therapist,
        ["id", "user_id", "calendar_token"],
        ((t, u, secrets.token_urlsafe(32)) for t, u in zip(therapists, users, strict=True)),
    )
    rooms = list(loader.next_ids(Room, size.therapists))
    loader.copy(
        Room, ["id", "name"], ((r, f"Chain {tag} room {n + 1}") for n, r in enumerate(rooms))
    )
    WorkingHours.objects.bulk_create(
        WorkingHours(
            therapist_id=t, weekday=day, start_time=wall(OPENS), end_time=wall(20), room_id=r
        )
        for t, r in zip(therapists, rooms, strict=True)
        for day in range(6)
    )
    return therapists, users, rooms


def _services() -> list[Service]:
    return [
        Service.objects.get_or_create(
            name=name, defaults={"duration_minutes": minutes, "buffer_minutes": buffer}
        )[0]
        for name, minutes, buffer in SERVICES
    ]


# A visit as later steps need it: (appointment id, client number, therapist index, slot, status)
Visit = tuple[int, int, int, int, str]


def _pool(index: int, size: ChainSize) -> range:
    """The client numbers n with _pool_of(n) == index."""
    return range(
        -(-index * size.clients // size.therapists),
        -(-(index + 1) * size.clients // size.therapists),
    )


def _appointments(loader, rng, size, grid, ids_of, now) -> list[Visit]:
    """Each therapist's share of the visits on random slots of their grid, for their clients:
    the past about PAST_FILL full, the weeks ahead half as full."""
    therapists, rooms, clients = ids_of
    services = _services()
    visits: list[Visit] = []
    ids = iter(loader.next_ids(Appointment, size.appointments))
    for index in range(size.therapists):
        share = size.appointments // size.therapists + (index < size.appointments % size.therapists)
        # At a tiny scale the weeks ahead would take every visit: keep half for the past.
        ahead = min(share // 2, round(len(grid.ahead) * PAST_FILL * AHEAD_FILL))
        past = min(len(grid.past), share - ahead)
        slots = sorted(rng.sample(grid.past, past) + rng.sample(grid.ahead, ahead))
        pool = _pool(index, size)
        for slot in slots:
            if slot < len(grid.past):
                status = rng.choices(*PAST_STATUSES)[0]
            else:
                status = AppointmentStatus.BOOKED
            visits.append((next(ids), rng.choice(pool), index, slot, status))

    def rows():
        for appointment_id, client_number, index, slot, status in visits:
            service = rng.choice(services)
            starts_at = grid.starts[slot]
            ends_at = starts_at + service.duration
            cancelled = status == AppointmentStatus.CANCELLED
            yield (
                appointment_id,
                clients[client_number],
                therapists[index],
                rooms[index],
                service.pk,
                starts_at,
                ends_at,
                ends_at + service.buffer,
                status,
                min(now, starts_at - timedelta(days=7)),
                starts_at - timedelta(days=1) if cancelled else None,
                "Client unwell." if cancelled else "",
                starts_at if status == AppointmentStatus.COMPLETED else None,
                now,
            )

    loader.copy(
        Appointment,
        [
            "id",
            "client_id",
            "therapist_id",
            "room_id",
            "service_id",
            "starts_at",
            "ends_at",
            "busy_until",
            "status",
            "booked_at",
            "cancelled_at",
            "cancellation_reason",
            "checked_in_at",
            "updated_at",
        ],
        rows(),
    )
    return visits


def _reminders(loader, grid, visits, clients, now) -> None:
    """The visit reminders at the clinic's lead times: sent before now, pending after,
    skipped for a cancelled visit."""
    leads = [timedelta(hours=h) for h in ClinicSettings.load().reminder_lead_hours]
    ids = iter(loader.next_ids(Reminder, len(visits) * len(leads)))

    def rows():
        for appointment_id, client_number, _, slot, status in visits:
            for lead in leads:
                due_at = grid.starts[slot] - lead
                if status == AppointmentStatus.CANCELLED:
                    state, reason, sent_at = (
                        ReminderStatus.SKIPPED,
                        SkipReason.CANCELLED_APPOINTMENT,
                        None,
                    )
                elif due_at < now:
                    state, reason, sent_at = ReminderStatus.SENT, "", due_at
                else:
                    state, reason, sent_at = ReminderStatus.PENDING, "", None
                yield (
                    next(ids),
                    ReminderKind.APPOINTMENT,
                    clients[client_number],
                    appointment_id,
                    Channel.EMAIL,
                    due_at,
                    due_at,
                    state,
                    reason,
                    1 if sent_at else 0,
                    sent_at,
                    min(due_at, now),
                )

    loader.copy(
        Reminder,
        [
            "id",
            "kind",
            "client_id",
            "appointment_id",
            "channel",
            "due_at",
            "next_attempt_at",
            "status",
            "skip_reason",
            "attempts",
            "sent_at",
            "created_at",
        ],
        rows(),
    )
