"""The treatment API: the same rules as the pages, with 400 for a breach and 409 for a lock."""

from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.audit.models import AuditEvent
from clinic.booking.models import AppointmentStatus
from sessions.models import Amendment, SessionNote, TreatmentPlan
from tests.factories import TherapistFactory
from tests.treatment.conftest import (
    TECHNIQUE,
    clear,
    make_plan,
    plan_data,
    screened,
    signed_note,
    visit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_as):
    http = client_as("therapist")

    def call(method, url, data=None):
        return getattr(http, method)(url, data, content_type="application/json")

    return call


def plan_body(client, **overrides):
    body = plan_data(**overrides)
    body["review_on"] = body["review_on"].isoformat()
    return {"client": client.pk, **body}


def test_a_plan_is_written_through_the_api(api, clear_client):
    response = api("post", "/api/plans/", plan_body(clear_client))
    assert response.status_code == 201, response.json()
    assert response.json()["techniques"][0] == {**TECHNIQUE, "progression": "as_tolerated"}
    assert TreatmentPlan.objects.get().client == clear_client


@pytest.mark.parametrize(
    ("answers", "entry", "code"),
    [
        ({"anticoagulants": True}, {"pressure": "deep"}, "PR_ANTICOAGULANTS"),
        ({"dvt_history": True}, {"technique": "deep_tissue"}, "CL_DVT_HISTORY"),
        ({"injury_in_area": "subacute"}, {"pressure": "firm"}, "PR_SUBACUTE_INJURY"),
    ],
)
def test_a_plan_breaking_a_restriction_answers_400_with_the_rule_code(
    api, a_client, answers, entry, code
):
    screened(a_client, **answers)
    body = plan_body(a_client, techniques=[{**TECHNIQUE, **entry}])
    response = api("post", "/api/plans/", body)
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not TreatmentPlan.objects.exists()


def test_a_plan_with_an_unknown_word_is_refused_by_the_vocabulary(api, clear_client):
    body = plan_body(clear_client, techniques=[{**TECHNIQUE, "muscle": "biceps"}])
    response = api("post", "/api/plans/", body)
    assert response.status_code == 400
    assert "muscle" in str(response.json())


def test_a_note_is_created_for_a_checked_in_appointment_with_its_fields(api, checked_in):
    body = {
        "appointment": checked_in.pk,
        "subjective": "Sore",
        "pain_before": 6,
        "techniques": [TECHNIQUE],
        "trigger_points": [{"muscle": "piriformis", "side": "left", "tenderness": 2}],
        "body_map": {"gluteus_medius_left": "treated", "piriformis_left": "tender"},
    }
    response = api("post", "/api/notes/", body)
    assert response.status_code == 201, response.json()
    note = SessionNote.objects.get()
    assert note.techniques == [TECHNIQUE] and note.pain_before == 6
    assert note.body_map == {"gluteus_medius_left": "treated", "piriformis_left": "tender"}


@pytest.mark.parametrize(
    ("answers", "body", "code"),
    [
        (
            {"anticoagulants": True},
            {"techniques": [{**TECHNIQUE, "pressure": "firm"}]},
            "PR_ANTICOAGULANTS",
        ),
        (
            {"anticoagulants": True},
            {"techniques": [{**TECHNIQUE, "technique": "trigger_point"}]},
            "PR_ANTICOAGULANTS",
        ),
        ({}, {"body_map": {"coccyx": "treated"}}, "STANDING_NO_BONY_PRESSURE"),
        (
            {"skin_condition_in_area": True},
            {
                "body_map": {"tfl_right": "avoid"},
                "techniques": [{**TECHNIQUE, "muscle": "tfl", "side": "both"}],
            },
            "PR_SKIN",
        ),
    ],
)
def test_a_note_breaking_a_restriction_answers_400_and_creates_nothing(
    api, a_client, therapist, answers, body, code
):
    screened(a_client, **answers)
    appointment = visit(a_client, therapist)
    response = api("post", "/api/notes/", {"appointment": appointment.pk, **body})
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert not SessionNote.objects.exists()


@pytest.mark.parametrize(
    ("answers", "outcome"),
    [
        ({"recent_trauma": True}, "refer"),
        ({"pregnant": True, "pregnancy_weeks": 12}, "clearance"),
    ],
)
def test_a_note_for_a_blocked_client_answers_400_naming_the_outcome(
    api, a_client, therapist, answers, outcome
):
    screened(a_client, **answers)
    response = api("post", "/api/notes/", {"appointment": visit(a_client, therapist).pk})
    assert response.status_code == 400
    assert response.json()["outcome"] == outcome
    assert f"outcome is {outcome}" in response.json()["detail"]


def test_a_draft_is_patched_and_signed(api, draft):
    response = api(
        "patch",
        f"/api/notes/{draft.pk}/",
        {"assessment": "Better", "pain_before": 5, "pain_after": 2},
    )
    assert response.status_code == 200
    signed = api("post", f"/api/notes/{draft.pk}/sign/")
    assert signed.status_code == 200
    assert len(signed.json()["content_hash"]) == 64
    draft.refresh_from_db()
    assert draft.appointment.status == AppointmentStatus.COMPLETED


def test_a_patch_with_a_breach_answers_400_and_changes_nothing(api, a_client, therapist):
    screened(a_client, osteoporosis=True)
    clear(a_client)
    created = api("post", "/api/notes/", {"appointment": visit(a_client, therapist).pk})
    note_id = created.json()["id"]
    response = api(
        "patch", f"/api/notes/{note_id}/", {"subjective": "x", "techniques": [TECHNIQUE]}
    )
    assert response.status_code == 400 and response.json()["code"] == "CL_OSTEOPOROSIS"
    assert SessionNote.objects.get().subjective == ""


def test_any_change_to_a_signed_note_answers_409(api, clear_client, therapist):
    note = signed_note(clear_client, therapist)
    assert api("patch", f"/api/notes/{note.pk}/", {"subjective": "x"}).status_code == 409
    assert api("post", f"/api/notes/{note.pk}/sign/").status_code == 409
    note.refresh_from_db()
    assert note.subjective == "Sore after gardening."


def test_amendments_are_added_and_listed_in_order(api, clear_client, therapist):
    note = signed_note(clear_client, therapist)
    url = f"/api/notes/{note.pk}/amendments/"
    assert api("post", url, {"reason": "Typo", "text": "Left."}).status_code == 201
    assert api("post", url, {"reason": "Call", "text": "Better."}).status_code == 201
    assert [a["reason"] for a in api("get", url).json()] == ["Typo", "Call"]
    assert api("post", url, {"reason": "", "text": "x"}).status_code == 400
    assert Amendment.objects.count() == 2


def test_a_draft_takes_no_amendment(api, draft):
    response = api("post", f"/api/notes/{draft.pk}/amendments/", {"reason": "r", "text": "t"})
    assert response.status_code == 409


def test_progress_lists_pain_before_and_after_per_session(api, clear_client, therapist):
    for days, pain in ((21, (7, 4)), (14, (6, 5)), (7, (4, 2))):
        signed_note(clear_client, therapist, timezone.now() - timedelta(days=days), pain=pain)
    body = api("get", f"/api/clients/{clear_client.pk}/progress/").json()
    assert [(s["pain_before"], s["pain_after"]) for s in body["sessions"]] == [
        (7, 4),
        (6, 5),
        (4, 2),
    ]
    assert [s["meaningful"] for s in body["sessions"]] == [True, False, True]
    assert body["overall"] == {"baseline": 7, "latest": 4, "change": -3, "meaningful": True}


def test_another_therapist_is_refused_this_client_through_the_api(client, clear_client, therapist):
    note = signed_note(clear_client, therapist)
    client.force_login(TherapistFactory().user)
    assert client.get(f"/api/notes/{note.pk}/").status_code == 403
    assert client.get(f"/api/clients/{clear_client.pk}/progress/").status_code == 403
    assert client.get("/api/notes/").json()["results"] == []
    response = client.post("/api/plans/", plan_body(clear_client), content_type="application/json")
    assert response.status_code == 403


def test_the_client_records_practice_once_a_day(client_as, clear_client, therapist):
    make_plan(clear_client, therapist)
    http = client_as("client")
    url = f"/api/clients/{clear_client.pk}/practice/"
    first = http.post(url, {"pain_now": 3}, content_type="application/json")
    again = http.post(url, {}, content_type="application/json")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_listing_notes_audits_each_note_shown(api, clear_client, therapist):
    notes = [
        signed_note(clear_client, therapist, timezone.now() - timedelta(days=d)) for d in (7, 14)
    ]
    assert len(api("get", "/api/notes/").json()["results"]) == 2
    viewed = AuditEvent.objects.filter(action="view", object_type="note", detail="api list")
    assert sorted(viewed.values_list("object_id", flat=True)) == sorted(str(n.pk) for n in notes)
