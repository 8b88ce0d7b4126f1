from datetime import timedelta

import pytest
from django.utils import timezone

from clinic.accounts.models import Role
from intake import services
from intake.models import Clearance, Intake
from intake.screening import RULES_VERSION
from tests.conftest import ROLES
from tests.factories import ClientFactory, ClientWithLoginFactory, TherapistFactory
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import PDF, upload

pytestmark = pytest.mark.django_db

INTAKES = "/api/intakes/"


def post_json(http, url, data):
    return http.post(url, data, content_type="application/json")


def test_staff_post_an_intake_and_get_the_contract_shape(client_as, a_client):
    response = post_json(
        client_as(Role.THERAPIST),
        INTAKES,
        {"client": a_client.pk, "answers": clear_answers(anticoagulants=True, pain_score=5)},
    )

    assert response.status_code == 201
    body = response.json()
    intake = Intake.objects.get()
    assert set(body) == {"id", "client", "submitted_at", "valid_until", "screening"}
    assert (body["id"], body["client"]) == (intake.pk, a_client.pk)
    assert set(body["screening"]) == {"outcome", "findings", "restrictions", "rules_version"}
    assert body["screening"]["outcome"] == "precautions"
    assert body["screening"]["rules_version"] == RULES_VERSION
    assert body["screening"]["findings"][0] == {
        "code": "PR_ANTICOAGULANTS",
        "outcome": "precautions",
        "message": intake.findings[0]["message"],
    }
    assert body["screening"]["restrictions"] == {
        "max_pressure": "moderate",
        "forbidden_techniques": ["deep_tissue", "trigger_point"],
        "positioning": None,
        "avoid_areas": [],
        "notes": ["Start with light pressure and progress as tolerated."],
    }


def test_a_logged_in_client_posts_their_own_intake_without_naming_themself(
    client_as, a_client, client_user
):
    response = post_json(client_as(Role.CLIENT), INTAKES, {"answers": clear_answers()})

    assert response.status_code == 201
    intake = Intake.objects.get()
    assert (intake.client, intake.submitted_by) == (a_client, client_user)


def test_a_client_cannot_post_an_intake_for_someone_else(client_as):
    other = ClientFactory()
    response = post_json(
        client_as(Role.CLIENT), INTAKES, {"client": other.pk, "answers": clear_answers()}
    )
    assert response.status_code == 403
    assert not Intake.objects.exists()


def test_a_therapist_cannot_post_an_intake_for_another_therapist_s_client(client_as):
    other = ClientFactory(primary_therapist=TherapistFactory())
    response = post_json(
        client_as(Role.THERAPIST), INTAKES, {"client": other.pk, "answers": clear_answers()}
    )
    assert response.status_code == 403
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"answers": clear_answers(back_ache=True)},
            {
                "answers": {
                    "back_ache": ["Unknown question: remove it or check the spelling of its name."]
                }
            },
        ),
        (
            {"answers": clear_answers(pain_score="7")},
            {"answers": {"pain_score": ["Please enter a whole number."]}},
        ),
        (
            {"answers": clear_answers(pregnant="yes")},
            {"answers": {"pregnant": ["Please answer yes or no (true or false)."]}},
        ),
        (
            {"answers": clear_answers(pain_score=11)},
            {"answers": {"pain_score": ["Please enter a number from 0 to 10."]}},
        ),
        (
            {"answers": clear_answers(consent=False)},
            {"answers": {"consent": ["We need your consent before we can treat you."]}},
        ),
        (
            {"answers": {k: v for k, v in clear_answers().items() if k != "consent"}},
            {"answers": {"consent": ["Please answer this question."]}},
        ),
        ({"answers": clear_answers(), "outcome": "clear"}, {"outcome": ["Unknown field."]}),
        ({"answers": ["pain_score", 3]}, None),
        ({}, None),
        ({"client": 999999, "answers": clear_answers()}, None),
    ],
    ids=[
        "unknown-key",
        "wrong-type-int",
        "wrong-type-bool",
        "out-of-range",
        "consent-false",
        "consent-missing",
        "unknown-top-level-key",
        "answers-not-an-object",
        "no-answers",
        "no-such-client",
    ],
)
def test_bad_input_answers_400_with_field_errors_and_stores_nothing(
    client_as, a_client, body, errors
):
    body = {"client": a_client.pk} | body
    response = post_json(client_as(Role.CLINIC_ADMIN), INTAKES, body)

    assert response.status_code == 400
    if errors is not None:
        assert response.json() == errors
    assert not Intake.objects.exists()


def test_staff_must_name_the_client(client_as):
    response = post_json(client_as(Role.CLINIC_ADMIN), INTAKES, {"answers": clear_answers()})
    assert response.status_code == 400
    assert response.json() == {"client": ["This field is required."]}


def test_a_json_body_that_is_not_an_object_is_refused(client_as):
    response = post_json(client_as(Role.CLINIC_ADMIN), INTAKES, [1, 2])
    assert response.status_code == 400
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 403),
        (Role.CLIENT, 403),
        (Role.FRONT_DESK, 403),
        (Role.THERAPIST, 200),
        (Role.CLINIC_ADMIN, 200),
    ],
)
def test_an_intake_reads_back_for_its_therapist_and_admins_only(client_as, a_client, role, status):
    intake = services.submit_intake(a_client, clear_answers(osteoporosis=True), None)

    response = client_as(role).get(f"/api/intakes/{intake.pk}/")

    assert response.status_code == status
    if status == 200:
        assert response.json()["screening"]["findings"][0]["code"] == "CL_OSTEOPOROSIS"
        assert response.json()["valid_until"] is not None


def test_another_therapist_cannot_read_the_intake(client, a_client):
    intake = services.submit_intake(a_client, clear_answers(), None)
    client.force_login(TherapistFactory().user)
    assert client.get(f"/api/intakes/{intake.pk}/").status_code == 403


def test_an_old_intake_reads_back_with_the_rules_version_it_was_screened_with(client_as, a_client):
    intake = services.submit_intake(a_client, clear_answers(), None)
    Intake.objects.filter(pk=intake.pk).update(rules_version="2020.1-1")

    body = client_as(Role.THERAPIST).get(f"/api/intakes/{intake.pk}/").json()

    assert body["screening"]["rules_version"] == "2020.1-1"


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_role_reads_the_screening_status_and_clients_do_not(client_as, a_client, role):
    services.submit_intake(a_client, clear_answers(osteoporosis=True), None)

    response = client_as(role).get(f"/api/clients/{a_client.pk}/screening/")

    if role == Role.CLIENT:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"outcome", "valid_until", "clearance_on_file"}
    assert (body["outcome"], body["clearance_on_file"]) == ("clearance", False)


def test_the_screening_status_says_missing_then_expired(client_as, a_client):
    http = client_as(Role.FRONT_DESK)
    url = f"/api/clients/{a_client.pk}/screening/"
    assert http.get(url).json() == {
        "outcome": "missing",
        "valid_until": None,
        "clearance_on_file": False,
    }
    intake = services.submit_intake(a_client, clear_answers(), None)
    Intake.objects.filter(pk=intake.pk).update(valid_until=timezone.now() - timedelta(minutes=1))
    assert http.get(url).json()["outcome"] == "expired"


def test_a_therapist_records_a_clearance_with_a_document_through_the_api(client_as, a_client):
    services.submit_intake(a_client, clear_answers(osteoporosis=True), None)
    http = client_as(Role.THERAPIST)

    response = http.post(
        f"/api/clients/{a_client.pk}/clearances/",
        {
            "provider_name": "Dr Lee",
            "cleared_on": timezone.localdate().isoformat(),
            "note": "Gentle work is fine.",
            "document": upload("letter.pdf", PDF),
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["client"], body["provider_name"], body["has_document"]) == (
        a_client.pk,
        "Dr Lee",
        True,
    )
    screening = http.get(f"/api/clients/{a_client.pk}/screening/").json()
    assert screening["clearance_on_file"] is True


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"document": upload("letter.pdf", b"<html>not a pdf</html>")}, "document"),
        (
            {"document": upload("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * (10 * 1024 * 1024))},
            "document",
        ),
        ({"cleared_on": "next tuesday"}, "cleared_on"),
        ({"provider_name": ""}, "provider_name"),
        ({"colour": "blue"}, "colour"),
    ],
    ids=["not-a-pdf", "over-10-mb", "bad-date", "no-provider", "unknown-field"],
)
def test_a_bad_clearance_answers_400_and_stores_nothing(client_as, a_client, data, field):
    body = {"provider_name": "Dr Lee", "cleared_on": timezone.localdate().isoformat()} | data

    response = client_as(Role.CLINIC_ADMIN).post(f"/api/clients/{a_client.pk}/clearances/", body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Clearance.objects.exists()


@pytest.mark.parametrize("role", [None, Role.CLIENT, Role.FRONT_DESK])
def test_only_clinical_staff_record_clearances(client_as, a_client, role):
    response = client_as(role).post(
        f"/api/clients/{a_client.pk}/clearances/",
        {"provider_name": "Dr Lee", "cleared_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
    assert not Clearance.objects.exists()


def test_a_therapist_cannot_record_a_clearance_for_another_s_client(client_as):
    other = ClientWithLoginFactory(primary_therapist=TherapistFactory())
    response = client_as(Role.THERAPIST).post(
        f"/api/clients/{other.pk}/clearances/",
        {"provider_name": "Dr Lee", "cleared_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 403
