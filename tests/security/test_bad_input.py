"""Bad input a probe sent: each gets a clear 4xx (never a server error) and changes nothing."""

import json
from datetime import time, timedelta

import pytest
from django.core import signing
from django.urls import reverse
from django.utils.http import urlencode

from clinic.accounts.models import Client, Role, User
from clinic.audit.models import AuditEvent
from clinic.booking.models import Appointment
from clinic.core.clinic_time import at_local, today
from clinic.core.inputs import UNSTORABLE_TEXT
from intake.answers import validate_answers
from intake.links import SALT, link_path
from intake.models import Intake, IntakeLink
from tests.intake.answers_fixtures import clear_answers
from tests.intake.forms_fixtures import form_data

pytestmark = pytest.mark.django_db

CLEAN_4XX = (400, 404, 409)
FAR_DATES = ["9999-12-31", "0001-01-01"]
FAR_MOMENTS = [
    ("9999-12-30T00:00:00+00:00", "9999-12-31T23:59:00+00:00"),
    ("9999-12-31T23:00:00-05:00", "9999-12-31T23:59:00-05:00"),
    ("0001-01-01T00:00:00+00:00", "0001-01-01T10:00:00+00:00"),
    ("0001-01-01T00:00:00+05:00", "0001-01-01T10:00:00+05:00"),
]
SUPERSCRIPT_TWO = "\u00b2"  # "²".isdigit() is True, int("²") raises
HUGE_LIMIT = "9223372036854775808"  # one past PostgreSQL's bigint


def answered_clearly(response):
    """A 4xx the user can act on: a server error would be 500."""
    assert response.status_code in CLEAN_4XX, response.status_code
    return response


def counts():
    return [
        model.objects.count()
        for model in (User, Client, Appointment, Intake, IntakeLink, AuditEvent)
    ]


@pytest.mark.parametrize(("start", "end"), FAR_MOMENTS)
def test_availability_far_from_now_is_a_400(client, service, hours, start, end):
    query = urlencode({"service": service.pk, "start": start, "end": end})
    answered_clearly(client.get(f"/api/availability/?{query}"))


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize("path", ["/booking/day/", "/booking/week/"])
def test_a_calendar_far_from_now_is_not_a_server_error(client_as, path, day):
    response = client_as(Role.FRONT_DESK).get(f"{path}?date={day}")
    assert response.status_code in (200, *CLEAN_4XX)


@pytest.mark.parametrize("day", FAR_DATES)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_the_audit_log_filtered_far_from_now_is_not_a_server_error(client_as, field, day):
    response = client_as(Role.CLINIC_ADMIN).get(f"/audit/?{field}={day}")
    assert response.status_code in (200, *CLEAN_4XX)


@pytest.mark.parametrize("day", FAR_DATES)
def test_appointments_filtered_far_from_now_are_a_400(client_as, day):
    answered_clearly(client_as(Role.FRONT_DESK).get(f"/api/appointments/?date={day}"))


@pytest.mark.parametrize("path", ["/api/intakes/", "/api/notes/", "/api/plans/"])
def test_a_deeply_nested_json_body_is_a_400(client_as, path):
    before = counts()
    response = client_as(Role.THERAPIST).post(path, "[" * 100_000, content_type="application/json")
    answered_clearly(response)
    assert counts() == before


@pytest.mark.parametrize(
    "path",
    ["/api/appointments/", "/api/notes/", "/api/plans/", "/api/appointments/?date=2026-03-02"],
)
def test_a_limit_past_bigint_is_capped_not_a_server_error(client_as, path):
    joiner = "&" if "?" in path else "?"
    response = client_as(Role.CLINIC_ADMIN).get(f"{path}{joiner}limit={HUGE_LIMIT}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        f"/api/notes/?client={SUPERSCRIPT_TWO}",
        f"/api/plans/?client={SUPERSCRIPT_TWO}",
        f"/api/appointments/?client={SUPERSCRIPT_TWO}",
        f"/api/appointments/?therapist={SUPERSCRIPT_TWO}",
        f"/booking/day/?therapist={SUPERSCRIPT_TWO}",
        f"/booking/week/?therapist={SUPERSCRIPT_TWO}",
        f"/booking/day/?free=2026-03-10T10:00:00%2B00:00&free_therapist=1&service={SUPERSCRIPT_TWO}",
    ],
)
def test_a_superscript_digit_as_an_id_is_not_a_server_error(client_as, path):
    role = Role.FRONT_DESK if path.startswith("/booking/") else Role.CLINIC_ADMIN
    if "appointments" in path:
        role = Role.FRONT_DESK
    response = client_as(role).get(path)
    assert response.status_code in (200, *CLEAN_4XX)


def test_a_superscript_digit_in_the_online_slot_sends_back_to_the_times(client, service):
    starts_at = at_local(today() + timedelta(days=2), time(10))
    slot = f"{starts_at.isoformat()}|{SUPERSCRIPT_TWO}"
    response = client.get(f"/booking/online/{service.pk}/book/?{urlencode({'slot': slot})}")
    assert response.status_code == 302


@pytest.mark.parametrize("text", ["Sore\x00back", "Sore\ud800back"])
def test_nul_or_a_lone_surrogate_in_intake_answer_text_is_a_400(client_as, a_client, text):
    before = counts()
    body = json.dumps({"client": a_client.pk, "answers": clear_answers(other_conditions=text)})
    response = client_as(Role.THERAPIST).post(
        "/api/intakes/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("field", ["other_conditions", "signature"])
def test_nul_in_the_intake_form_is_a_400(client, a_client, field):
    link = IntakeLink.objects.create(client=a_client, sent_to=a_client.email)
    response = client.post(link_path(link), form_data(**{field: "Rosa\x00Ng"}))
    assert response.status_code == 400
    assert not Intake.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"link": "one", "nonce": "x"},
        {"link": [1], "nonce": "x"},
        {"link": {"pk": 1}, "nonce": "x"},
        {"link": 1, "nonce": ["x"]},
        ["link", 1],
        "link",
    ],
)
def test_an_intake_link_carrying_the_wrong_types_opens_nothing(client, a_client, payload):
    IntakeLink.objects.create(client=a_client, sent_to=a_client.email)
    token = signing.dumps(payload, salt=SALT)
    for response in (
        client.get(reverse("intake-link-form", args=[token])),
        client.post(reverse("intake-link-form", args=[token]), form_data()),
    ):
        answered_clearly(response)
    assert not Intake.objects.exists()


NEW_CLIENT = {
    "first_name": "Rosa",
    "last_name": "Ng",
    "email": "rosa@example.com",
    "phone": "+1 647 555 0199",
    "password": "a long enough secret 42",
}


@pytest.mark.parametrize("moment", ["9999-12-31T23:00:00+00:00", "0001-01-01T00:00:00+00:00"])
def test_registering_for_a_slot_far_from_now_creates_no_one_and_sends_nothing(
    client, service, therapist, mailoutbox, django_capture_on_commit_callbacks, moment
):
    slot = f"{moment}|{therapist.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/booking/online/{service.pk}/register/?{urlencode({'slot': slot})}", NEW_CLIENT
        )
    assert response.status_code in (302, *CLEAN_4XX)
    assert not User.objects.filter(email="rosa@example.com").exists()
    assert not Client.objects.exists() or not Client.objects.filter(email="rosa@example.com")
    assert mailoutbox == []


@pytest.mark.parametrize(
    ("role", "method", "path", "data"),
    [
        (Role.FRONT_DESK, "get", "/booking/clients/", {"q": "Ro\x00sa"}),
        (None, "post", "/accounts/login/", {"username": "a\x00@b.test", "password": "x"}),
        (None, "get", "/booking/online/", {"therapist": "\x00"}),
    ],
)
def test_nul_anywhere_in_a_request_is_a_400(client_as, role, method, path, data):
    before = counts()
    response = getattr(client_as(role), method)(path, data)
    assert response.status_code == 400
    assert counts() == before


@pytest.mark.parametrize("text", ["Sore\x00back", "Sore\ud800back"])
def test_the_answer_table_itself_refuses_text_postgresql_cannot_store(text):
    # The last guard, for answers that reach the engine by a path no parser or form checks.
    _, errors = validate_answers(clear_answers(other_conditions=text))
    assert errors == {"other_conditions": [UNSTORABLE_TEXT]}
