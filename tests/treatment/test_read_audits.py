"""Every path that reads a clinical record writes exactly one audit row for it, in the loader,
never while a template renders."""

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.audit.models import AuditEvent
from sessions import homecare
from sessions import notes as note_service
from tests.treatment.conftest import make_plan, signed_note

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(clear_client, therapist):
    """A clear client with a plan and a signed, amended note."""
    plan = make_plan(clear_client, therapist)
    note = signed_note(clear_client, therapist)
    note_service.add_amendment(note, therapist.user, "Typo", "Left, not right.")
    return {
        "plan": plan,
        "note": note,
        "client": clear_client,
        "intake": clear_client.intakes.get(),
    }


def page(name, key):
    return lambda r: reverse(name, args=[r[key].pk])


def api(path):
    return lambda r: path.format(**{k: v.pk for k, v in r.items()})


# (what is read, its URL, the audit rows it must write: action, object type, whose id)
READ_PATHS = [
    ("plan page", page("plan-detail", "plan"), [("view", "plan", "plan")]),
    ("plan edit page", page("plan-edit", "plan"), [("view", "plan", "plan")]),
    ("plan API", api("/api/plans/{plan}/"), [("view", "plan", "plan")]),
    ("note page", page("note-detail", "note"), [("view", "note", "note")]),
    ("note API", api("/api/notes/{note}/"), [("view", "note", "note")]),
    ("amendments API", api("/api/notes/{note}/amendments/"), [("view", "note", "note")]),
    ("note PDF", page("note-pdf", "note"), [("export", "note", "note")]),
    ("record PDF", page("treatment-record-pdf", "client"), [("export", "record", "client")]),
    ("intake on the client page", page("client-detail", "client"), [("view", "intake", "intake")]),
    ("intake API", api("/api/intakes/{intake}/"), [("view", "intake", "intake")]),
    (
        "client record page",
        page("treatment-record", "client"),
        [("view", "record", "client"), ("view", "intake", "intake")],
    ),
    ("progress page", page("treatment-progress", "client"), [("view", "progress", "client")]),
    ("progress API", api("/api/clients/{client}/progress/"), [("view", "progress", "client")]),
    ("home-care page", page("home-care", "client"), [("view", "home-care", "client")]),
]


@pytest.mark.parametrize(
    "url, expected", [p[1:] for p in READ_PATHS], ids=[p[0] for p in READ_PATHS]
)
def test_each_clinical_read_writes_exactly_one_audit_row_per_record(
    client_as, therapist, records, url, expected
):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    response = client_as("therapist").get(url(records))

    assert response.status_code == 200
    rows = AuditEvent.objects.filter(id__gt=before, actor=therapist.user)
    assert sorted(rows.values_list("action", "object_type", "object_id")) == sorted(
        (action, kind, str(records[key].pk)) for action, kind, key in expected
    )


def test_the_client_reading_their_own_home_care_is_audited_once(client_as, client_user, records):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    assert client_as("client").get(reverse("my-home-care")).status_code == 200

    rows = AuditEvent.objects.filter(id__gt=before, actor=client_user)
    assert list(rows.values_list("action", "object_type", "object_id")) == [
        ("view", "home-care", str(records["client"].pk))
    ]


@pytest.mark.parametrize("model, key", [("treatmentplan", "plan"), ("sessionnote", "note")])
def test_the_admin_page_of_a_plan_or_note_is_audited_once(
    client_as, superuser_admin, clinic_admin_user, records, model, key
):
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    url = reverse(f"admin:treatment_{model}_change", args=[records[key].pk])

    assert client_as("clinic_admin").get(url).status_code == 200

    rows = AuditEvent.objects.filter(id__gt=before, actor=clinic_admin_user)
    assert list(rows.values_list("action", "object_type", "object_id", "detail")) == [
        ("view", key, str(records[key].pk), "admin")
    ]


def test_the_admin_page_of_a_practice_log_is_audited_once(
    client_as, superuser_admin, clinic_admin_user, records
):
    homecare.record_practice(records["client"], records["plan"], timezone.localdate(), 2)
    log = records["plan"].practice_logs.get()
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    url = reverse("admin:treatment_practicelog_change", args=[log.pk])

    assert client_as("clinic_admin").get(url).status_code == 200

    rows = AuditEvent.objects.filter(id__gt=before, actor=clinic_admin_user)
    assert list(rows.values_list("action", "object_id", "detail")) == [
        ("view", str(log.pk), "admin")
    ]
