"""The wrong role on the new write routes (setup, privacy, break the glass, reports' scope):
refused with 403 and nothing changed, whatever the body says. The permission matrix checks each
route's GET; these check the writes and the object-level seams a probe tried."""

from datetime import date, timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.authtoken.models import Token

from clinic.accounts.models import Role, User
from clinic.audit.models import AuditEvent, BreakGlassGrant
from clinic.booking.models import Closure, Room, Service, TimeOff, WorkingHours
from clinic.core.models import ClinicSettings
from clinic.privacy.models import AccessRequest, Breach, RecordExport
from clinic.setup import staff
from sessions.models import TreatmentPlan
from tests.factories import (
    AppointmentFactory,
    ClientFactory,
    RoomFactory,
    ServiceFactory,
    TherapistFactory,
)
from tests.treatment.conftest import plan_data, screened

pytestmark = pytest.mark.django_db

NOT_ADMIN = [Role.CLIENT, Role.FRONT_DESK, Role.THERAPIST]
JSON = "application/json"


def counts():
    models = (
        User,
        Service,
        Room,
        Closure,
        TimeOff,
        WorkingHours,
        AccessRequest,
        Breach,
        RecordExport,
        BreakGlassGrant,
    )
    return [model.objects.count() for model in models]


@pytest.fixture
def scene(therapist, a_client):
    closure = Closure.objects.create(
        first_day=date(2026, 12, 25), last_day=date(2026, 12, 25), reason="Holiday"
    )
    now = timezone.now()
    time_off = TimeOff.objects.create(
        therapist=therapist, starts_at=now, ends_at=now + timedelta(hours=2), reason="Course"
    )
    return {
        "person": therapist.user.pk,
        "service": ServiceFactory().pk,
        "room": RoomFactory().pk,
        "closure": closure.pk,
        "time_off": time_off.pk,
        "client": a_client.pk,
    }


# (method, path, body); the path's {names} come from the scene.
ADMIN_WRITES = [
    ("post", "/manage/staff/", {"first_name": "E", "last_name": "V", "email": "e@v.test"}),
    ("post", "/manage/staff/{person}/", {"user-first_name": "Evil", "user-last_name": "V"}),
    ("post", "/manage/staff/{person}/hours/", {"form": "time_off"}),
    ("post", "/manage/staff/{person}/time-off/{time_off}/remove/", {}),
    ("post", "/manage/staff/{person}/access/", {}),
    ("post", "/manage/staff/{person}/resend/", {}),
    ("post", "/manage/services/new/", {"name": "Evil"}),
    ("post", "/manage/services/{service}/", {"name": "Evil"}),
    ("post", "/manage/rooms/new/", {"name": "Evil"}),
    ("post", "/manage/rooms/{room}/", {"name": "Evil"}),
    ("post", "/manage/closures/", {"first_day": "2026-12-31", "last_day": "2026-12-31"}),
    ("post", "/manage/closures/{closure}/remove/", {}),
    ("post", "/manage/settings/", {"name": "Evil clinic"}),
    ("post", "/privacy/clients/{client}/export.pdf", {}),
    ("post", "/privacy/clients/{client}/export.json", {}),
    ("post", "/privacy/requests/", {"client": "{client}", "kind": "access"}),
    ("post", "/privacy/retention/{client}/destroy/", {"confirmation": "{client}"}),
    ("post", "/privacy/breaches/", {"kind": "other", "description": "x"}),
    ("post", "/api/manage/staff/", {"first_name": "E", "last_name": "V", "email": "e@v.test"}),
    ("patch", "/api/manage/staff/{person}/", {"first_name": "Evil"}),
    ("post", "/api/manage/staff/{person}/deactivate/", {}),
    ("put", "/api/manage/staff/{person}/hours/", {"blocks": []}),
    ("post", "/api/manage/services/", {"name": "Evil", "duration_minutes": 30}),
    ("patch", "/api/manage/services/{service}/", {"name": "Evil"}),
    ("post", "/api/manage/rooms/", {"name": "Evil"}),
    ("patch", "/api/manage/rooms/{room}/", {"name": "Evil"}),
    ("post", "/api/manage/closures/", {"first_day": "2026-12-31", "last_day": "2026-12-31"}),
    ("delete", "/api/manage/closures/{closure}/", {}),
    ("patch", "/api/manage/settings/", {"name": "Evil clinic"}),
    ("post", "/api/privacy/clients/{client}/export/", {}),
    ("post", "/api/privacy/requests/", {"client": "{client}", "kind": "access"}),
    ("post", "/api/privacy/breaches/", {"kind": "other", "description": "x"}),
]


def _filled(value, scene):
    return value.format(**scene) if isinstance(value, str) else value


@pytest.mark.parametrize("role", NOT_ADMIN)
@pytest.mark.parametrize(("method", "path", "body"), ADMIN_WRITES, ids=lambda v: str(v)[:40])
def test_a_write_to_an_admin_route_by_another_role_is_a_403_and_changes_nothing(
    client_as, scene, role, method, path, body
):
    client = client_as(role)
    settings_before = ClinicSettings.load().name
    before = counts()
    path = path.format(**scene)
    data = {key: _filled(value, scene) for key, value in body.items()}
    if path.startswith("/api/"):
        response = getattr(client, method)(path, data, content_type=JSON)
    else:
        response = getattr(client, method)(path, data)
    assert response.status_code == 403, (path, response.status_code)
    assert counts() == before
    assert ClinicSettings.load().name == settings_before
    assert User.objects.get(pk=scene["person"]).is_active


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLIENT, Role.CLINIC_ADMIN])
def test_only_a_therapist_breaks_the_glass(client_as, role):
    someone = ClientFactory(primary_therapist=TherapistFactory())
    client = client_as(role)
    events = AuditEvent.objects.count()
    api = client.post(
        f"/api/clients/{someone.pk}/break-glass/", {"reason": "Covering"}, content_type=JSON
    )
    page = client.post(f"/audit/break-glass/clients/{someone.pk}/", {"reason": "Covering"})
    assert (api.status_code, page.status_code) == (403, 403)
    assert not BreakGlassGrant.objects.exists()
    assert AuditEvent.objects.filter(action="break_glass").count() == 0
    assert AuditEvent.objects.count() >= events


@pytest.mark.parametrize("role", NOT_ADMIN)
def test_only_the_clinic_admin_reviews_a_break_the_glass_grant(client_as, therapist, role):
    someone = ClientFactory(primary_therapist=TherapistFactory())
    grant = BreakGlassGrant.objects.create(
        user=therapist.user,
        client=someone,
        reason="Covering",
        granted_at=timezone.now(),
        expires_at=timezone.now() + timedelta(hours=1),
    )
    client = client_as(role)
    assert client.post(f"/api/break-glass/{grant.pk}/review/").status_code == 403
    assert client.post(f"/audit/break-glass/{grant.pk}/reviewed/").status_code == 403
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_a_therapist_cannot_read_a_colleagues_report_figures_by_asking_for_them(
    client_as, therapist
):
    colleague = TherapistFactory(user__first_name="Colleague", user__last_name="Zed")
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    for days in (1, 2, 3):
        AppointmentFactory(therapist=colleague, starts_at=hour - timedelta(days=days))
    admin_csv = client_as(Role.CLINIC_ADMIN).get("/reports/utilisation-therapists.csv")
    # The figures exist; only the therapist's scope hides them.
    assert "Zed" in b"".join(admin_csv.streaming_content).decode()
    client = client_as(Role.THERAPIST)
    for query in (f"therapist={colleague.pk}", f"therapist_id={colleague.pk}", "therapist="):
        answer = client.get(f"/api/reports/visits/?{query}").json()
        assert answer["therapist"] == therapist.pk
        page = client.get(f"/reports/?{query}").content.decode()
        csv = client.get(f"/reports/utilisation-therapists.csv?{query}")
        csv = b"".join(csv.streaming_content).decode()
        assert "Zed" not in page
        assert "Zed" not in csv


def test_breaking_the_glass_opens_a_record_to_read_never_to_write(client_as, therapist):
    someone = ClientFactory(primary_therapist=TherapistFactory())
    screened(someone)
    http = client_as(Role.THERAPIST)
    granted = http.post(
        f"/api/clients/{someone.pk}/break-glass/", {"reason": "Covering"}, content_type=JSON
    )
    assert granted.status_code == 201
    assert http.get(f"/treatment/clients/{someone.pk}/record/").status_code == 200
    body = plan_data()
    body["review_on"] = body["review_on"].isoformat()
    refused = http.post("/api/plans/", {"client": someone.pk, **body}, content_type=JSON)
    assert refused.status_code == 403
    assert not TreatmentPlan.objects.exists()


def test_a_deactivated_admin_s_session_and_any_token_open_no_new_route(client, clinic_admin_user):
    gone = User.objects.create_user(
        email="gone@tranquil.test", password="x-Long-enough-9", role=Role.CLINIC_ADMIN
    )
    client.force_login(gone)
    staff.deactivate(user=gone, by=clinic_admin_user)
    # A token that outlived the deactivation (made by a script, say) is refused all the same.
    token = Token.objects.create(user=gone)
    by_token = HttpClient(HTTP_AUTHORIZATION=f"Token {token.key}")
    for path in ("/api/manage/staff/", "/api/privacy/breaches/", "/api/reports/"):
        assert by_token.get(path).status_code in (401, 403)
        assert client.get(path).status_code in (401, 403)
    for path in ("/manage/staff/", "/privacy/", "/reports/"):
        assert client.get(path).status_code == 302  # to the sign-in page
