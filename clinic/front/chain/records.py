"""The chain's clinical records: intakes, treatment plans and signed notes for the visits seeded."""

from datetime import timedelta

from django.db import models

from clinic.booking.models import AppointmentStatus
from clinic.core.clinic_time import today
from intake.models import Intake, valid_for
from sessions.entries import NOTE_FIELD_NAMES
from sessions.models import PlanStatus, SessionNote, TreatmentPlan
from sessions.signing import note_hash

from . import content
from .copying import as_json

# A plan whose last visit is older than this is taken as completed.
PLAN_ACTIVE_FOR = timedelta(days=120)
NOTE_JSON = {f.name for f in SessionNote._meta.concrete_fields if isinstance(f, models.JSONField)}


def _seen(visits):
    """For each client number seen: (first slot, last slot, therapist index)."""
    seen: dict[int, list[int]] = {}
    for _, client_number, index, slot, _ in visits:
        known = seen.get(client_number)
        if known is None:
            seen[client_number] = [slot, slot, index]
        else:
            known[0], known[1] = min(known[0], slot), max(known[1], slot)
    return seen


def plan_and_intake_rows(loader, rng, grid, visits, therapists, users, clients, now) -> dict:
    """An intake before each client's first visit (and again before their last, when the first
    has expired by then), and one plan from the first visit; returns plan ids by client number."""
    seen = _seen(visits)
    screened = content.screened_intakes()
    weights = [weight for weight, _ in content.INTAKE_VARIANTS]
    intake_rows = []
    validity = valid_for()
    for client_number, (first, last, _) in seen.items():
        answers, result = rng.choices(screened, weights)[0]
        moments = [grid.starts[first] - timedelta(days=2)]
        if grid.starts[last] - timedelta(days=2) > moments[0] + validity:
            moments.append(grid.starts[last] - timedelta(days=2))
        for submitted_at in moments:
            intake_rows.append((clients[client_number], answers, result, min(submitted_at, now)))
    intake_ids = loader.next_ids(Intake, len(intake_rows))
    loader.copy(
        Intake,
        [
            "id",
            "client_id",
            "answers",
            "outcome",
            "findings",
            "restrictions",
            "rules_version",
            "signature",
            "consented_at",
            "submitted_at",
            "valid_until",
        ],
        (
            (
                intake_id,
                client_id,
                as_json(answers),
                result["outcome"],
                as_json(result["findings"]),
                as_json(result["restrictions"]),
                result["rules_version"],
                answers["signature"],
                submitted_at,
                submitted_at,
                submitted_at + validity,
            )
            for intake_id, (client_id, answers, result, submitted_at) in zip(
                intake_ids, intake_rows, strict=True
            )
        ),
    )

    plans = dict(zip(seen, loader.next_ids(TreatmentPlan, len(seen)), strict=True))
    still_active = today() - PLAN_ACTIVE_FOR
    plan = content.PLAN
    loader.copy(
        TreatmentPlan,
        [
            "id",
            "client_id",
            "therapist_id",
            "status",
            "goals",
            "target_muscles",
            "techniques",
            "home_care",
            "starts_on",
            "review_on",
            "created_at",
            "created_by_id",
        ],
        (
            (
                plans[client_number],
                clients[client_number],
                therapists[index],
                PlanStatus.ACTIVE if grid.days[last] >= still_active else PlanStatus.COMPLETED,
                as_json(plan["goals"]),
                as_json(plan["target_muscles"]),
                as_json(plan["techniques"]),
                as_json(plan["home_care"]),
                grid.days[first],
                grid.days[first] + timedelta(weeks=6),
                min(grid.starts[first], now),
                users[index],
            )
            for client_number, (first, last, index) in seen.items()
        ),
    )
    return plans


def note_rows(loader, rng, size, grid, visits, therapists, users, clients, plans, now) -> None:
    """Signed notes for a sample of the completed visits, each signed two hours after its
    start with the hash sessions/signing.py gives it."""
    completed = [v for v in visits if v[4] == AppointmentStatus.COMPLETED]
    chosen = sorted(rng.sample(range(len(completed)), min(size.signed_notes, len(completed))))
    ids = loader.next_ids(SessionNote, len(chosen))

    def rows():
        for note_id, position in zip(ids, chosen, strict=True):
            appointment_id, client_number, index, slot, _ = completed[position]
            pain_before = rng.randint(4, 8)
            signed_at = min(grid.starts[slot] + timedelta(hours=2), now)
            note = SessionNote(
                pk=note_id,
                appointment_id=appointment_id,
                client_id=clients[client_number],
                therapist_id=therapists[index],
                session_on=grid.days[slot],
                subjective=content.NOTE_SUBJECTIVE[position % len(content.NOTE_SUBJECTIVE)],
                **content.NOTE_TEXT,
                pain_before=pain_before,
                pain_after=pain_before - rng.randint(1, 3),
                techniques=content.NOTE_TECHNIQUES,
                trigger_points=[{"muscle": "piriformis", "side": "left", "tenderness": 2}],
                body_map=content.NOTE_BODY_MAP,
                psfs=content.NOTE_PSFS if position % 4 == 0 else [],
                signed_at=signed_at,
                signed_by_id=users[index],
            )
            yield (
                note_id,
                appointment_id,
                note.client_id,
                note.therapist_id,
                plans[client_number],
                note.session_on,
                *(
                    as_json(getattr(note, name)) if name in NOTE_JSON else getattr(note, name)
                    for name in NOTE_FIELD_NAMES
                ),
                grid.starts[slot],
                signed_at,
                signed_at,
                note.signed_by_id,
                note_hash(note),
            )

    loader.copy(
        SessionNote,
        [
            "id",
            "appointment_id",
            "client_id",
            "therapist_id",
            "treatment_plan_id",
            "session_on",
            *NOTE_FIELD_NAMES,
            "created_at",
            "updated_at",
            "signed_at",
            "signed_by_id",
            "content_hash",
        ],
        rows(),
    )
