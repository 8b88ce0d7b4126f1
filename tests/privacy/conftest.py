"""A client with a full record: intake, clearance with its document, plan, signed notes (one
amended), a draft-free history of visits."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from intake import services as intake_services
from sessions import notes as note_service
from tests.treatment.conftest import make_plan, screened, signed_note

PDF = b"%PDF-1.4\n%clearance\n"


@pytest.fixture
def full_record(a_client, therapist):
    now = timezone.now().replace(microsecond=0)
    screened(a_client, pain_score=6, other_conditions="Tight hamstrings since spring")
    clearance = intake_services.record_clearance(
        a_client,
        provider_name="Dr Rowe",
        cleared_on=timezone.localdate(),
        by_user=None,
        document=ContentFile(PDF, name="note.pdf"),
    )
    plan = make_plan(a_client, therapist)
    first = signed_note(
        a_client, therapist, now - timedelta(days=14), subjective="Sore after gardening."
    )
    second = signed_note(a_client, therapist, now - timedelta(days=7), pain=(5, 2))
    note_service.add_amendment(second, therapist.user, "Wrong side recorded", "Left, not right.")
    return {"client": a_client, "clearance": clearance, "plan": plan, "notes": [first, second]}
