"""Permission-matrix rows for treatment (sessions/) and the audit log (see tests/access).

Clinical pages are for admins and the client's own therapists; writing is for the therapist;
the front desk is refused every one of them, and so is the client, except their home care.
"""

from datetime import timedelta

from django.utils import timezone

from clinic.accounts.models import Role

from . import CLINICAL, Route

THERAPIST = frozenset({Role.THERAPIST})
ADMIN = frozenset({Role.CLINIC_ADMIN})
CLIENT_AND_CLINICAL = CLINICAL | {Role.CLIENT}
CLIENT_AND_THERAPIST = frozenset({Role.CLIENT, Role.THERAPIST})


def add_to_world(world):
    """A screened client with a plan, a signed note, a draft note and a checked-in visit."""
    from sessions import notes as note_service
    from tests.treatment.conftest import make_plan, screened, signed_note, visit

    screened(world.client)
    world.plan = make_plan(world.client, world.therapist)
    world.signed_note = signed_note(
        world.client, world.therapist, timezone.now() - timedelta(days=7)
    )
    world.draft_note, _ = note_service.start_note(
        visit(world.client, world.therapist, timezone.now() - timedelta(hours=3)),
        world.therapist.user,
    )
    world.visit = visit(world.client, world.therapist)


def client_id(w):
    return {"client_id": w.client.pk}


def signed(w):
    return {"pk": w.signed_note.pk}


def draft(w):
    return {"pk": w.draft_note.pk}


ROUTES = {
    "treatment-record": Route(CLINICAL, kwargs=client_id),
    "treatment-record-pdf": Route(CLINICAL, kwargs=client_id),
    "treatment-progress": Route(CLINICAL, kwargs=client_id),
    "plan-create": Route(THERAPIST, kwargs=client_id),
    "plan-detail": Route(CLINICAL, kwargs=lambda w: {"pk": w.plan.pk}),
    "plan-edit": Route(THERAPIST, kwargs=lambda w: {"pk": w.plan.pk}),
    "home-care": Route(CLIENT_AND_CLINICAL, kwargs=client_id),
    "my-home-care": Route(frozenset({Role.CLIENT})),
    "practice-record": Route(CLIENT_AND_THERAPIST, kwargs=client_id, method="post"),
    "note-for-appointment": Route(THERAPIST, kwargs=lambda w: {"appointment_id": w.visit.pk}),
    "note-detail": Route(CLINICAL, kwargs=signed),
    "note-edit": Route(THERAPIST, kwargs=draft),
    "note-autosave": Route(THERAPIST, kwargs=draft, method="post"),
    "note-sign": Route(THERAPIST, kwargs=draft),
    "note-amend": Route(
        THERAPIST, kwargs=signed, method="post", data=lambda w: {"reason": "Typo", "text": "Left."}
    ),
    "note-pdf": Route(CLINICAL, kwargs=signed),
    "audit-log": Route(ADMIN),
    "api-plans": Route(CLINICAL),
    "api-plan-detail": Route(CLINICAL, kwargs=lambda w: {"pk": w.plan.pk}),
    "api-notes": Route(CLINICAL),
    "api-note-detail": Route(CLINICAL, kwargs=signed),
    "api-note-sign": Route(THERAPIST, kwargs=draft, method="post"),
    "api-note-amendments": Route(CLINICAL, kwargs=signed),
    "api-client-progress": Route(CLINICAL, kwargs=client_id),
    "api-client-practice": Route(CLIENT_AND_THERAPIST, kwargs=client_id, method="post"),
}
