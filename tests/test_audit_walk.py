"""Every read of a clinical record is audited, on every path (issue 12, finding 2).

This walks the permission matrix (tests/access/) rather than a list kept by hand: every route a
clinical user (or the client, for their own pages) may open with a GET is opened once. A route
named in SHOWS_CLINICAL must write exactly one audit row per record it shows, each naming the
world's client; every other route must audit no read and show none of the world's clinical text
(a note's words, an intake's answer), so a new page that shows clinical data without auditing
it fails here until it is audited and named. The Django admin's page of each clinical record
in the world is walked too.
"""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from intake import services
from tests.access import PUBLIC, all_routes, build_world
from tests.intake.answers_fixtures import clear_answers

ROUTES = all_routes()

# Words only the world's clinical records hold: the signed note's subjective (see
# tests/treatment/conftest.signed_note) and the answer planted in the current intake below.
NOTE_TEXT = "Sore after gardening."
ANSWER_TEXT = "Old hamstring tear, left side"
SENTINELS = (NOTE_TEXT, ANSWER_TEXT)

# The routes whose GET shows a clinical record (pages, API, PDFs, documents).
SHOWS_CLINICAL = {
    "client-detail",
    "treatment-record",
    "treatment-record-pdf",
    "treatment-progress",
    "plan-create",
    "plan-detail",
    "plan-edit",
    "home-care",
    "note-detail",
    "note-edit",
    "note-sign",
    "note-pdf",
    "intake-clearance-document",
    "intake-upload-document",
    "api-plans",
    "api-plan-detail",
    "api-notes",
    "api-note-detail",
    "api-note-amendments",
    "api-client-progress",
    "api-intake-detail",
    # The client's own pages that show them their record.
    "client-home",
    "client-progress",
    "client-documents",
    "my-home-care",
    # A superbill's diagnosis codes come from the intake (or the codes chosen from it).
    "billing-superbill-codes",
    "billing-superbill",
}

# Money documents (receipts, statements): not clinical records, but each copy is logged as one
# export, since it names the client, their visit and what they paid.
MONEY_DOCUMENTS = {
    "billing-receipt",
    "api-invoice-receipt",
    "billing-client-statement",
    "billing-my-statement",
}


@pytest.fixture
def world(db, a_client, therapist):
    world = build_world(SimpleNamespace(client=a_client, therapist=therapist))
    # The current intake carries a sentence no page may show unaudited.
    services.submit_intake(a_client, clear_answers(other_conditions=ANSWER_TEXT), None)
    return world


def reader(route):
    """Who opens the route: a therapist where allowed, else the clinic admin, else the client."""
    for role in (Role.THERAPIST, Role.CLINIC_ADMIN, Role.CLIENT):
        if role in route.allowed:
            return role
    return None


WALKED = sorted(
    name
    for name, route in ROUTES.items()
    if route.method == "get" and route.allowed != PUBLIC and reader(route) is not None
)


def last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_every_route_said_to_show_clinical_data_is_walked():
    assert not SHOWS_CLINICAL - set(WALKED), "no such GET route"


@pytest.mark.parametrize("name", WALKED)
def test_a_clinical_read_writes_one_audit_row_per_record_and_nothing_else_writes_any(
    client_as, user_of, world, name
):
    route = ROUTES[name]
    role = reader(route)
    before = last_id()

    response = client_as(role).get(reverse(name, kwargs=route.kwargs(world)))

    # A route that only redirects (to a note it starts, to today's page) shows nothing itself.
    expected = (200,) if name in SHOWS_CLINICAL else (200, 302)
    assert response.status_code in expected, f"{role} got {response.status_code}"
    rows = list(
        AuditEvent.objects.filter(id__gt=before).values_list(
            "actor", "action", "object_type", "object_id", "client"
        )
    )
    if name in SHOWS_CLINICAL:
        assert rows, f"{name} shows clinical data and wrote no audit row"
        records = [row[1:4] for row in rows]
        assert len(records) == len(set(records)), f"{name} audited a record twice: {rows}"
        assert {(row[0], row[4]) for row in rows} == {(user_of(role).pk, world.client.pk)}
    else:
        body = b"" if response.streaming else response.content
        shown = [text for text in SENTINELS if text.encode() in body]
        assert not shown, f"{name} shows {shown}: audit the read and add it to SHOWS_CLINICAL"
        if name in MONEY_DOCUMENTS:
            assert [row[1] for row in rows] == ["export"], f"{name} wrote {rows}"
            return
        reads = [row for row in rows if row[1] in ("view", "export")]
        assert not reads, f"{name} audited reads: add it to SHOWS_CLINICAL if it shows a record"


# The Django admin's change page of each clinical record the world holds: (model, world name).
ADMIN_RECORDS = [
    ("intake_intake", "intake"),
    ("intake_clearance", "clearance"),
    ("intake_clearanceupload", "clearance_upload"),
    ("treatment_treatmentplan", "plan"),
    ("treatment_sessionnote", "signed_note"),
]


@pytest.mark.parametrize(("model", "key"), ADMIN_RECORDS)
def test_the_admin_page_of_each_clinical_record_writes_one_audit_row(
    client_as, superuser_admin, world, model, key
):
    record = getattr(world, key)
    before = last_id()

    response = client_as(Role.CLINIC_ADMIN).get(reverse(f"admin:{model}_change", args=[record.pk]))

    assert response.status_code == 200
    rows = AuditEvent.objects.filter(id__gt=before)
    assert list(rows.values_list("actor", "action", "object_id", "client")) == [
        (superuser_admin.pk, "view", str(record.pk), world.client.pk)
    ]
