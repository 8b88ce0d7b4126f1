"""Permission-matrix rows for this app's routes (see tests/access/__init__.py)."""

from django.core.files.base import ContentFile
from django.utils import timezone

from clinic.accounts.models import Role
from intake import services
from intake.links import make_token
from intake.models import ClearanceUpload, IntakeLink
from intake.upload_links import upload_path
from tests.intake.answers_fixtures import clear_answers

from . import ANY_ROLE, CLINICAL, PUBLIC, STAFF, Route

PDF = b"%PDF-1.4\n%demo clearance\n"


def add_to_world(world):
    """An intake, an unused intake link, a clearance with its document and a document the
    client uploaded, for the client."""
    world.intake = services.submit_intake(world.client, clear_answers(), None)
    world.intake_link = IntakeLink.objects.create(client=world.client, sent_to=world.client.email)
    world.clearance = services.record_clearance(
        world.client,
        provider_name="Dr Rowe",
        cleared_on=timezone.localdate(),
        by_user=None,
        document=ContentFile(PDF, name="note.pdf"),
    )
    world.clearance_upload = ClearanceUpload.objects.create(
        client=world.client, document=ContentFile(PDF, name="upload.pdf")
    )


def _upload_token(world):
    return upload_path(world.intake).rstrip("/").rsplit("/", 1)[1]


def _intake_request(world):
    return {"client": world.client.pk, "answers": clear_answers()}


ROUTES = {
    "intake-link-form": Route(PUBLIC, kwargs=lambda w: {"token": make_token(w.intake_link)}),
    "intake-my-form": Route(frozenset({Role.CLIENT})),
    "intake-thanks": Route(PUBLIC),
    # No client in the URL: a client uploads only for their own record.
    "intake-my-clearance": Route(frozenset({Role.CLIENT})),
    # The signed link is the permission, as with the form's own link.
    "intake-link-clearance": Route(PUBLIC, kwargs=lambda w: {"token": _upload_token(w)}),
    "intake-send-link": Route(STAFF, kwargs=lambda w: {"pk": w.client.pk}, method="post"),
    # Staff, and the client themself (the world's client is the client role's own record).
    "intake-check-in": Route(
        ANY_ROLE,
        kwargs=lambda w: {"pk": w.client.pk},
        method="post",
        data=lambda w: {"changed": "no"},
    ),
    "intake-clearance-add": Route(CLINICAL, kwargs=lambda w: {"pk": w.client.pk}),
    "intake-clearance-document": Route(CLINICAL, kwargs=lambda w: {"pk": w.clearance.pk}),
    "intake-upload-document": Route(CLINICAL, kwargs=lambda w: {"pk": w.clearance_upload.pk}),
    "intake-alerts-seen": Route(STAFF, method="post"),
    "api-intakes": Route(
        frozenset({Role.CLIENT, Role.THERAPIST, Role.CLINIC_ADMIN}),
        method="post",
        data=_intake_request,
    ),
    "api-intake-detail": Route(CLINICAL, kwargs=lambda w: {"pk": w.intake.pk}),
    "api-client-screening": Route(STAFF, kwargs=lambda w: {"pk": w.client.pk}),
    "api-client-clearances": Route(
        CLINICAL,
        kwargs=lambda w: {"pk": w.client.pk},
        method="post",
        data=lambda w: {"provider_name": "Dr Rowe", "cleared_on": str(timezone.localdate())},
    ),
}
