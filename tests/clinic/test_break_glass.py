"""Break the glass: a therapist who does not treat a client types why they need the record; it
opens to them, to read, until the end of the clinic day, and the clinic admin reviews it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from clinic.accounts import roles
from clinic.accounts.models import Role
from clinic.audit.break_glass import BreakGlassRefused, break_glass, mark_reviewed
from clinic.audit.models import BREAK_GLASS_REASON_MAX, AuditEvent, BreakGlassGrant
from clinic.core.clinic_time import day_bounds, today
from tests.factories import ClientFactory, TherapistFactory, UserFactory

pytestmark = pytest.mark.django_db

REASON = "Covering for Maya today; the client called about yesterday's session."


@pytest.fixture
def stranger(therapist):
    """A client the logged-in therapist does not treat (another therapist's)."""
    return ClientFactory(primary_therapist=TherapistFactory())


def record_url(client):
    return reverse("treatment-record", args=[client.pk])


def last_id():
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_opening_a_stranger_s_record_explains_and_offers_to_break_the_glass(client_as, stranger):
    page = client_as(Role.THERAPIST).get(record_url(stranger))

    assert page.status_code == 403
    assert f"You do not treat {stranger.full_name}" in page.content.decode()
    assert 'name="reason"' in page.content.decode()
    assert not AuditEvent.objects.filter(client=stranger).exists()


def test_breaking_the_glass_opens_the_record_for_the_rest_of_the_clinic_day(
    client_as, therapist_user, stranger
):
    http = client_as(Role.THERAPIST)

    answer = http.post(
        reverse("break-glass", args=[stranger.pk]),
        {"reason": REASON, "next": record_url(stranger)},
    )

    assert answer.status_code == 302 and answer.url == record_url(stranger)
    grant = BreakGlassGrant.objects.get()
    assert (grant.user, grant.client, grant.reason) == (therapist_user, stranger, REASON)
    assert grant.expires_at == day_bounds(today())[1]
    assert http.get(record_url(stranger)).status_code == 200


def test_breaking_the_glass_is_audited_with_its_own_action_and_each_read_as_usual(
    client_as, therapist_user, stranger
):
    http = client_as(Role.THERAPIST)
    before = last_id()

    http.post(reverse("break-glass", args=[stranger.pk]), {"reason": REASON})
    http.get(reverse("treatment-progress", args=[stranger.pk]))

    rows = AuditEvent.objects.filter(id__gt=before, actor=therapist_user).order_by("id")
    assert list(rows.values_list("action", "object_type", "client", "detail")) == [
        ("break_glass", "break-glass", stranger.pk, REASON),
        ("view", "progress", stranger.pk, ""),
    ]


def test_a_grant_is_for_today_only(stranger):
    therapist = TherapistFactory()
    start_of_today = day_bounds(today())[0]
    BreakGlassGrant.objects.create(
        user=therapist.user,
        client=stranger,
        reason=REASON,
        granted_at=start_of_today - timedelta(hours=3),
        expires_at=start_of_today,
    )

    assert not roles.can_read_treatment(therapist.user, stranger)
    assert roles.can_break_glass(therapist.user, stranger)


def test_a_grant_opens_the_record_to_read_not_to_write(stranger):
    therapist = TherapistFactory()
    break_glass(client=stranger, reason=REASON, by=therapist.user)

    assert roles.can_read_treatment(therapist.user, stranger)
    assert not roles.can_write_treatment(therapist.user, stranger)
    assert not roles.can_record_screening(therapist.user, stranger)


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", "This field is required."), ("   ", "This field is required."), ("x" * 501, "")],
)
def test_a_reason_is_required_and_limited_in_size(client_as, stranger, reason, message):
    page = client_as(Role.THERAPIST).post(
        reverse("break-glass", args=[stranger.pk]), {"reason": reason}
    )

    assert page.status_code == 400
    assert message in page.content.decode()
    assert not BreakGlassGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="break_glass").exists()


@pytest.mark.parametrize("reason", [None, "", " \n ", "x" * (BREAK_GLASS_REASON_MAX + 1), "a\x00b"])
def test_the_service_refuses_a_missing_long_or_unstorable_reason(stranger, reason):
    with pytest.raises(BreakGlassRefused) as refused:
        break_glass(client=stranger, reason=reason, by=TherapistFactory().user)

    assert refused.value.field == "reason"
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLINIC_ADMIN, Role.CLIENT])
def test_only_a_therapist_may_break_the_glass(stranger, role):
    with pytest.raises(BreakGlassRefused) as refused:
        break_glass(client=stranger, reason=REASON, by=UserFactory(role=role))

    assert refused.value.code == "not_clinical"
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.CLIENT])
def test_the_front_desk_and_clients_are_refused_the_break_glass_page_and_api(
    client_as, stranger, role
):
    http = client_as(role)

    page = http.post(reverse("break-glass", args=[stranger.pk]), {"reason": REASON})
    api = http.post(
        f"/api/clients/{stranger.pk}/break-glass/",
        {"reason": REASON},
        content_type="application/json",
    )

    assert (page.status_code, api.status_code) == (403, 403)
    assert not BreakGlassGrant.objects.exists()


def test_a_therapist_who_treats_the_client_needs_no_glass_broken(client_as, a_client):
    http = client_as(Role.THERAPIST)

    page = http.get(reverse("break-glass", args=[a_client.pk]))
    api = http.post(
        f"/api/clients/{a_client.pk}/break-glass/",
        {"reason": REASON},
        content_type="application/json",
    )

    assert page.status_code == 302 and page.url == record_url(a_client)
    assert (api.status_code, api.json()["code"]) == (409, "already_open")
    assert not BreakGlassGrant.objects.exists()


def test_the_api_refuses_with_not_treating_then_opens_after_a_reason(client_as, stranger):
    http = client_as(Role.THERAPIST)
    progress = f"/api/clients/{stranger.pk}/progress/"

    refused = http.get(progress)
    asked = http.post(
        refused.json()["break_glass"], {"reason": REASON}, content_type="application/json"
    )

    assert refused.status_code == 403 and refused.json()["code"] == "not_treating"
    assert asked.status_code == 201
    assert asked.json()["reason"] == REASON
    assert http.get(progress).status_code == 200


def test_the_api_refuses_a_blank_reason_and_stores_nothing(client_as, stranger):
    answer = client_as(Role.THERAPIST).post(
        f"/api/clients/{stranger.pk}/break-glass/", {"reason": ""}, content_type="application/json"
    )

    assert answer.status_code == 400 and "reason" in answer.json()
    assert not BreakGlassGrant.objects.exists()


def _grant(stranger, reason, hours_ago):
    grant = break_glass(client=stranger, reason=reason, by=TherapistFactory().user)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        granted_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return grant


def test_the_admin_review_list_shows_grants_newest_first(client_as, stranger):
    _grant(stranger, "The older reason", 2)
    _grant(stranger, "The newer reason", 1)

    page = client_as(Role.CLINIC_ADMIN).get(reverse("break-glass-review")).content.decode()
    api = client_as(Role.CLINIC_ADMIN).get("/api/break-glass/").json()

    assert page.index("The newer reason") < page.index("The older reason")
    assert [row["reason"] for row in api["results"]] == ["The newer reason", "The older reason"]


def test_the_review_list_filters_by_day(client_as, stranger):
    _grant(stranger, "A reason from today", 0)
    _grant(stranger, "A reason from last week", 24 * 7)
    http = client_as(Role.CLINIC_ADMIN)
    day = today().isoformat()

    page = http.get(reverse("break-glass-review"), {"day": day}).content.decode()
    api = http.get("/api/break-glass/", {"day": day}).json()

    assert "A reason from today" in page and "last week" not in page
    assert [row["reason"] for row in api["results"]] == ["A reason from today"]


@pytest.mark.parametrize("day", ["yesterday", "9999-12-31", "2026-02-30"])
def test_a_bad_day_filter_is_a_400(client_as, day):
    http = client_as(Role.CLINIC_ADMIN)

    assert http.get(reverse("break-glass-review"), {"day": day}).status_code == 400
    assert http.get("/api/break-glass/", {"day": day}).status_code == 400


def test_marking_a_grant_reviewed_is_audited_once(client_as, clinic_admin_user, stranger):
    grant = _grant(stranger, REASON, 1)
    before = last_id()

    answer = client_as(Role.CLINIC_ADMIN).post(
        reverse("break-glass-mark-reviewed", args=[grant.pk])
    )

    assert answer.status_code == 302
    grant.refresh_from_db()
    assert grant.reviewed_by == clinic_admin_user and grant.reviewed_at is not None
    rows = AuditEvent.objects.filter(id__gt=before)
    assert list(rows.values_list("actor", "action", "object_type", "object_id")) == [
        (clinic_admin_user.pk, "review", "break-glass", str(grant.pk))
    ]


def test_a_grant_is_reviewed_once(client_as, clinic_admin_user, stranger):
    grant = _grant(stranger, REASON, 1)
    mark_reviewed(grant=grant, by=clinic_admin_user)

    again = client_as(Role.CLINIC_ADMIN).post(f"/api/break-glass/{grant.pk}/review/")

    assert (again.status_code, again.json()["code"]) == (409, "already_reviewed")
    assert AuditEvent.objects.filter(action="review").count() == 1


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.FRONT_DESK])
def test_only_the_clinic_admin_reviews_grants(client_as, stranger, role):
    grant = _grant(stranger, REASON, 1)
    http = client_as(role)

    assert http.get(reverse("break-glass-review")).status_code == 403
    assert http.get("/api/break-glass/").status_code == 403
    assert http.post(f"/api/break-glass/{grant.pk}/review/").status_code == 403
    grant.refresh_from_db()
    assert grant.reviewed_at is None


def test_the_review_list_takes_a_fixed_number_of_queries(
    client_as, stranger, django_assert_max_num_queries
):
    http = client_as(Role.CLINIC_ADMIN)
    _grant(stranger, REASON, 1)
    http.get(reverse("break-glass-review"))
    for hours in range(2, 30):
        _grant(ClientFactory(), REASON, hours)

    with django_assert_max_num_queries(12):
        page = http.get(reverse("break-glass-review"))

    assert page.status_code == 200


def test_the_client_page_offers_a_therapist_who_does_not_treat_the_client_the_way_in(
    client_as, stranger, a_client
):
    http = client_as(Role.THERAPIST)
    way_in = reverse("break-glass", args=[stranger.pk])

    assert way_in in http.get(reverse("client-detail", args=[stranger.pk])).content.decode()
    own_page = http.get(reverse("client-detail", args=[a_client.pk])).content.decode()
    assert reverse("break-glass", args=[a_client.pk]) not in own_page
    desk_page = client_as(Role.FRONT_DESK).get(reverse("client-detail", args=[stranger.pk]))
    assert way_in not in desk_page.content.decode()


def test_after_breaking_the_glass_the_page_returns_only_to_this_site(client_as, stranger):
    answer = client_as(Role.THERAPIST).post(
        reverse("break-glass", args=[stranger.pk]),
        {"reason": REASON, "next": "https://elsewhere.example/steal"},
    )

    assert answer.status_code == 302 and answer.url == record_url(stranger)
