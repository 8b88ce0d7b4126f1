"""Checkout's speed: one request issues the invoice and records a split payment.

Prints the median server time of 20 checkouts (Django's test client on real PostgreSQL:
middleware, the transaction, the audit rows, the redirect); run with `-s` to see it:
`bin/test tests/billing/test_checkout_speed.py -s -q`.
"""

import statistics
import time

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.billing.models import InsurerClaim, Invoice, InvoiceStatus
from tests.billing.test_checkout_page import pay_form
from tests.factories import ClientFactory, TherapistFactory

pytestmark = pytest.mark.django_db
RUNS = 20


def test_a_checkout_request_takes_well_under_a_second(client_as, checked_in):
    desk = client_as(Role.FRONT_DESK)
    visits = [checked_in(client=ClientFactory(), therapist=TherapistFactory()) for _ in range(RUNS)]
    timings = []
    for n, visit in enumerate(visits):
        form = pay_form(f"speed-{n}", ("insurer", "80.00"), ("credit", "33.00"))
        started = time.perf_counter()
        response = desk.post(reverse("billing-checkout", args=[visit.pk]), form)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302
    assert Invoice.objects.filter(status=InvoiceStatus.ISSUED).count() == RUNS
    median_ms = statistics.median(timings) * 1000
    print(f"\ncheckout (issue + split payment), median of {RUNS}: {median_ms:.1f} ms")
    assert median_ms < 1000


def test_a_checkout_with_an_insurer_claim_takes_well_under_a_second(client_as, checked_in):
    desk = client_as(Role.FRONT_DESK)
    visits = [checked_in(client=ClientFactory(), therapist=TherapistFactory()) for _ in range(RUNS)]
    timings = []
    for n, visit in enumerate(visits):
        form = pay_form(f"claim-speed-{n}", ("credit", "33.00"))
        form |= {"insurer-insurer": "Sun Life", "insurer-member_id": f"SL-{n}"}
        form["insurer-amount"] = "80.00"
        started = time.perf_counter()
        response = desk.post(reverse("billing-checkout", args=[visit.pk]), form)
        timings.append(time.perf_counter() - started)
        assert response.status_code == 302
    assert InsurerClaim.objects.count() == RUNS
    median_ms = statistics.median(timings) * 1000
    print(f"\ncheckout (issue + insurer claim + card), median of {RUNS}: {median_ms:.1f} ms")
    assert median_ms < 1000
