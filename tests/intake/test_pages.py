import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from intake import services
from intake.models import Clearance, IntakeAlert
from intake.status import screening_status
from tests.factories import ClientFactory, TherapistFactory
from tests.intake.answers_fixtures import clear_answers
from tests.intake.conftest import PDF, upload

pytestmark = pytest.mark.django_db

# What only clinical eyes may see on the client page, for an osteoporosis intake.
CLINICAL_DETAILS = [
    "CL_OSTEOPOROSIS",
    "Osteoporosis or low bone density",
    "Have you been told you have osteoporosis",
    "light at most",
    "Dr Lee",
    "Record a clearance",
]


@pytest.fixture
def screened(a_client):
    intake = services.submit_intake(a_client, clear_answers(osteoporosis=True), None)
    services.record_clearance(
        a_client, provider_name="Dr Lee", cleared_on=timezone.localdate(), by_user=None
    )
    return intake


def client_page(http, client):
    return http.get(reverse("client-detail", args=[client.pk])).content.decode()


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.CLINIC_ADMIN])
def test_the_client_s_therapist_and_admins_see_answers_findings_restrictions_and_clearances(
    client_as, a_client, screened, role
):
    page = client_page(client_as(role), a_client)

    for detail in CLINICAL_DETAILS:
        assert detail in page
    assert 'data-outcome="clearance"' in page
    assert "No direct pressure on the spine" in page


def test_the_front_desk_sees_only_the_badge_validity_clearance_and_the_link_button(
    client_as, a_client, screened
):
    page = client_page(client_as(Role.FRONT_DESK), a_client)

    assert 'data-outcome="clearance"' in page
    assert (
        f"Valid until</dt><dd>{date_format(localtime(screened.valid_until), 'SHORT_DATE_FORMAT')}"
        in page
    )
    assert "Clearance on file</dt><dd>Yes" in page
    assert "Send intake link" in page
    for detail in CLINICAL_DETAILS:
        assert detail not in page


def test_another_therapist_sees_the_badge_but_not_the_clinical_details(client, a_client, screened):
    client.force_login(TherapistFactory().user)
    page = client_page(client, a_client)

    assert 'data-outcome="clearance"' in page
    for detail in CLINICAL_DETAILS:
        assert detail not in page


def test_reading_the_screening_on_the_client_page_is_audited(client_as, a_client, screened):
    client_page(client_as(Role.THERAPIST), a_client)
    client_page(client_as(Role.FRONT_DESK), a_client)

    views = AuditEvent.objects.filter(action="view", object_type="intake")
    assert [(e.actor.role, e.object_id) for e in views] == [("therapist", str(screened.pk))]


def test_a_client_without_an_intake_shows_missing(client_as, a_client):
    page = client_page(client_as(Role.FRONT_DESK), a_client)
    assert 'data-outcome="missing"' in page
    assert "needs to fill in the form" in page


def test_the_client_page_takes_a_fixed_number_of_queries(
    client_as, a_client, django_assert_max_num_queries
):
    http = client_as(Role.THERAPIST)
    services.submit_intake(a_client, clear_answers(), None)
    client_page(http, a_client)  # warm the per-process caches (clinic settings)
    # The whole client page (visits, treatment, reminders sections too); the bound that matters
    # is the second one: no more queries with 25 intakes and clearances than with one.
    with django_assert_max_num_queries(25) as few:
        client_page(http, a_client)
    for n in range(25):
        services.submit_intake(a_client, clear_answers(pain_score=n % 11), None)
        services.record_clearance(
            a_client, provider_name=f"Dr {n}", cleared_on=timezone.localdate(), by_user=None
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client_page(http, a_client)


def test_the_client_sees_their_own_answers_on_their_page(client_as, a_client):
    services.submit_intake(
        a_client, clear_answers(other_conditions="Tight hamstrings after running"), None
    )

    page = client_as(Role.CLIENT).get(reverse("client-home")).content.decode()

    assert "Tight hamstrings after running" in page
    assert "How bad is your back pain right now?" in page
    assert "Are you pregnant?" in page
    assert "How many weeks pregnant are you?" not in page
    assert "CL_" not in page and "PR_" not in page


def test_a_client_without_an_intake_is_asked_to_fill_in_the_form(client_as):
    page = client_as(Role.CLIENT).get(reverse("client-home")).content.decode()
    assert reverse("intake-my-form") in page


@pytest.mark.parametrize("role", [Role.CLIENT, Role.FRONT_DESK, Role.THERAPIST])
def test_something_changed_at_check_in_reopens_the_form(client_as, a_client, role):
    services.submit_intake(a_client, clear_answers(), None)
    http = client_as(role)

    response = http.post(
        reverse("intake-check-in", args=[a_client.pk]), {"changed": "yes"}, follow=True
    )

    assert "open again" in response.content.decode()
    assert screening_status(a_client).needs_intake
    if role == Role.CLIENT:
        home = http.get(reverse("client-home")).content.decode()
        assert reverse("intake-my-form") in home


def test_no_change_at_check_in_keeps_the_intake(client_as, a_client):
    intake = services.submit_intake(a_client, clear_answers(), None)
    client_as(Role.CLIENT).post(reverse("intake-check-in", args=[a_client.pk]), {"changed": "no"})
    assert screening_status(a_client).intake == intake


def test_a_check_in_without_an_answer_changes_nothing(client_as, a_client):
    intake = services.submit_intake(a_client, clear_answers(), None)
    response = client_as(Role.FRONT_DESK).post(
        reverse("intake-check-in", args=[a_client.pk]), {}, follow=True
    )
    assert "Please answer yes or no" in response.content.decode()
    assert screening_status(a_client).intake == intake


def test_a_client_cannot_check_in_for_someone_else(client_as):
    other = ClientFactory()
    services.submit_intake(other, clear_answers(), None)
    response = client_as(Role.CLIENT).post(
        reverse("intake-check-in", args=[other.pk]), {"changed": "yes"}
    )
    assert response.status_code == 403
    assert not screening_status(other).needs_intake


@pytest.mark.parametrize("role", [Role.THERAPIST, Role.CLINIC_ADMIN])
def test_a_refer_intake_shows_on_the_home_page_until_marked_seen(client_as, a_client, role):
    services.submit_intake(a_client, clear_answers(dvt_signs=True), None)
    http = client_as(role)
    home = reverse("therapist-home" if role == Role.THERAPIST else "admin-home")

    page = http.get(home).content.decode()
    assert "Screening alerts" in page and a_client.full_name in page

    alert = IntakeAlert.objects.get(recipient__role=role)
    http.post(reverse("intake-alerts-seen"), {"alert": [alert.pk, "junk"]})
    assert "Screening alerts" not in http.get(home).content.decode()


def test_the_home_page_alerts_take_a_fixed_number_of_queries(
    client_as, therapist, django_assert_max_num_queries
):
    http = client_as(Role.THERAPIST)
    services.submit_intake(ClientFactory(primary_therapist=therapist), clear_answers(), None)
    http.get(reverse("therapist-home"))
    # The whole client page (visits, treatment, reminders sections too); the bound that matters
    # is the second one: no more queries with 25 intakes and clearances than with one.
    with django_assert_max_num_queries(25) as few:
        http.get(reverse("therapist-home"))
    for _ in range(15):
        client = ClientFactory(primary_therapist=therapist)
        services.submit_intake(client, clear_answers(recent_trauma=True), None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = http.get(reverse("therapist-home")).content.decode()
    assert page.count("Mark as seen") == 15


def test_a_therapist_records_a_clearance_from_the_page(client_as, a_client):
    services.submit_intake(a_client, clear_answers(history_of_cancer=True), None)
    http = client_as(Role.THERAPIST)
    url = reverse("intake-clearance-add", args=[a_client.pk])

    response = http.post(
        url,
        {
            "provider_name": "Dr Lee",
            "cleared_on": timezone.localdate().isoformat(),
            "document": upload("letter.pdf", PDF),
        },
        follow=True,
    )

    assert "Clearance recorded." in response.content.decode()
    assert screening_status(a_client).clearance_on_file
    clearance = Clearance.objects.get()
    document = http.get(reverse("intake-clearance-document", args=[clearance.pk]))
    assert b"".join(document.streaming_content) == PDF


def test_a_clearance_page_shows_the_error_beside_the_file_and_stores_nothing(client_as, a_client):
    response = client_as(Role.THERAPIST).post(
        reverse("intake-clearance-add", args=[a_client.pk]),
        {
            "provider_name": "Dr Lee",
            "cleared_on": timezone.localdate().isoformat(),
            "document": upload("letter.pdf", b"GIF89a not a pdf"),
        },
    )

    assert response.status_code == 400
    assert "must be a PDF, PNG or JPEG" in response.content.decode()
    assert not Clearance.objects.exists()


def test_another_therapist_cannot_open_a_clearance_document(client, a_client):
    clearance = services.record_clearance(
        a_client,
        provider_name="Dr Lee",
        cleared_on=timezone.localdate(),
        by_user=None,
        document=upload("letter.pdf", PDF),
    )
    client.force_login(TherapistFactory().user)
    response = client.get(reverse("intake-clearance-document", args=[clearance.pk]))
    assert response.status_code == 403


def test_the_badge_says_cleared_once_a_clearance_is_on_file(client_as, a_client):
    services.submit_intake(a_client, clear_answers(dvt_history=True), None)
    http = client_as(Role.FRONT_DESK)
    assert "Clearance needed" in client_page(http, a_client)

    services.record_clearance(
        a_client, provider_name="Dr Lee", cleared_on=timezone.localdate(), by_user=None
    )

    page = client_page(http, a_client)
    assert "Cleared: restrictions apply" in page and "Clearance needed" not in page


SEND_LINK = "Send intake link</button>"


def send_link_button(page):
    return page[: page.index(SEND_LINK)].rsplit("<button", 1)[1]


def test_send_intake_link_is_the_main_button_only_while_the_intake_is_missing(client_as, a_client):
    http = client_as(Role.FRONT_DESK)
    assert 'class="button"' in send_link_button(client_page(http, a_client))

    services.submit_intake(a_client, clear_answers(), None)
    assert 'class="button secondary"' in send_link_button(client_page(http, a_client))
