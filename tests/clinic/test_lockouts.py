"""Sign-in lockouts lock one account from one address, and the clinic admin can lift them."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

ALICE = "alice@tranquil.test"
BOB = "bob@tranquil.test"


@pytest.fixture(autouse=True)
def staff(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 10
    UserFactory(email=ALICE, role=Role.THERAPIST)
    UserFactory(email=BOB, role=Role.FRONT_DESK)


def browser(**meta):
    return Client(**meta)


def sign_in(http, email, password=PASSWORD):
    response = http.post(reverse("login"), {"username": email, "password": password})
    return response.status_code == 302 and "_auth_user_id" in http.session


def fail_ten_times(http, email):
    for _ in range(10):
        assert not sign_in(http, email, "wrong password")


def test_ten_bad_sign_ins_lock_only_that_account_from_that_address():
    fail_ten_times(browser(REMOTE_ADDR="10.0.0.1"), ALICE)

    assert not sign_in(browser(REMOTE_ADDR="10.0.0.1"), ALICE)
    assert sign_in(browser(REMOTE_ADDR="10.0.0.1"), BOB)
    assert sign_in(browser(REMOTE_ADDR="10.0.0.2"), ALICE)


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_one_locked(settings):
    settings.TRUSTED_PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "172.18.0.5"
    fail_ten_times(browser(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"), ALICE)

    assert not sign_in(browser(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"), ALICE)
    # The same proxy carries everyone else: they are not locked out with her.
    assert sign_in(browser(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.8"), ALICE)
    assert sign_in(browser(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"), BOB)


def test_behind_a_trusted_proxy_a_forged_left_entry_does_not_escape_the_lock(settings):
    settings.TRUSTED_PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    proxy = "172.18.0.5"
    for n in range(10):
        # The attacker writes a new address each time; the proxy appends the real one.
        forged = f"198.51.100.{n}, 203.0.113.7"
        assert not sign_in(
            browser(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=forged), ALICE, "wrong password"
        )

    attacker = browser(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.99, 203.0.113.7")
    assert not sign_in(attacker, ALICE)


def test_an_untrusted_forwarded_header_is_ignored():
    for n in range(10):
        forged = browser(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}")
        assert not sign_in(forged, ALICE, "wrong password")

    assert not sign_in(browser(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.50"), ALICE)


def test_the_clinic_admin_unlocks_one_pair_and_the_user_signs_in_again(client_as):
    fail_ten_times(browser(REMOTE_ADDR="10.0.0.1"), ALICE)
    fail_ten_times(browser(REMOTE_ADDR="10.0.0.1"), BOB)
    admin = client_as(Role.CLINIC_ADMIN)

    page = admin.get(reverse("sign-in-lockouts"))
    assert page.status_code == 200
    assert [(lock["username"], lock["ip_address"]) for lock in page.context["lockouts"]] == [
        (BOB, "10.0.0.1"),
        (ALICE, "10.0.0.1"),
    ]
    assert b"Unlock" in page.content

    response = admin.post(
        reverse("sign-in-lockouts"), {"username": ALICE, "ip_address": "10.0.0.1"}
    )
    assert response.status_code == 302
    assert response.url == reverse("sign-in-lockouts")

    assert sign_in(browser(REMOTE_ADDR="10.0.0.1"), ALICE)
    assert not sign_in(browser(REMOTE_ADDR="10.0.0.1"), BOB)
    event = AuditEvent.objects.get(object_type="sign_in_lockout")
    assert event.actor.email == "admin@tranquil.test"
    assert event.detail == f"Unlocked sign-in for {ALICE} from 10.0.0.1"


def test_unlocking_a_pair_that_is_not_locked_is_refused_and_logs_nothing(client_as):
    admin = client_as(Role.CLINIC_ADMIN)
    response = admin.post(
        reverse("sign-in-lockouts"), {"username": ALICE, "ip_address": "10.0.0.1"}
    )
    assert response.status_code == 400
    assert "not locked out" in response.content.decode()
    bad = admin.post(reverse("sign-in-lockouts"), {"username": ALICE, "ip_address": "nope"})
    assert admin.post(reverse("sign-in-lockouts"), {}).status_code == 400
    assert bad.status_code == 400
    assert not AuditEvent.objects.filter(object_type="sign_in_lockout").exists()


def test_the_admin_home_links_to_the_lockouts(client_as):
    page = client_as(Role.CLINIC_ADMIN).get(reverse("admin-home"))
    assert reverse("sign-in-lockouts") in page.content.decode()


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST, Role.CLIENT])
def test_only_the_clinic_admin_may_see_or_lift_lockouts(client_as, role):
    fail_ten_times(browser(REMOTE_ADDR="10.0.0.1"), ALICE)
    http = client_as(role)
    assert http.get(reverse("sign-in-lockouts")).status_code == 403
    response = http.post(reverse("sign-in-lockouts"), {"username": ALICE, "ip_address": "10.0.0.1"})
    assert response.status_code == 403
    assert not sign_in(browser(REMOTE_ADDR="10.0.0.1"), ALICE)


def test_the_lockouts_page_reads_a_fixed_number_of_queries(client_as):
    admin = client_as(Role.CLINIC_ADMIN)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(reverse("sign-in-lockouts")).status_code == 200
        return len(captured)

    fail_ten_times(browser(REMOTE_ADDR="10.0.0.1"), ALICE)
    queries()  # the first request also loads the clinic's settings and stamps the session
    one = queries()
    fail_ten_times(browser(REMOTE_ADDR="10.0.0.2"), ALICE)
    fail_ten_times(browser(REMOTE_ADDR="10.0.0.1"), BOB)
    assert queries() == one
