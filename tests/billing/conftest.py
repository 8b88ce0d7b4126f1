"""Visits with a priced service, checked in through booking, for the billing tests."""

from decimal import Decimal

import pytest
from django.utils import timezone

from clinic.billing.checkout import ClaimPart, Tender, checkout
from clinic.billing.models import Invoice, PaymentMethod
from clinic.booking.booking import check_in
from clinic.core.models import ClinicSettings
from tests.factories import AppointmentFactory, ServiceFactory


@pytest.fixture
def clinic(db):
    settings = ClinicSettings.load()
    settings.tax_rate = Decimal("13.00")
    settings.no_show_fee = Decimal("40.00")
    settings.late_cancel_fee = Decimal("30.00")
    settings.save()
    return settings


@pytest.fixture
def priced_service(db):
    return ServiceFactory(name="Gluteal massage 60", price=Decimal("100.00"))


@pytest.fixture
def make_visit(clinic, priced_service, a_client, therapist):
    """A visit starting now (so it can be checked in) for the client with their therapist."""

    def make(**kwargs):
        starts_at = kwargs.pop("starts_at", timezone.now().replace(microsecond=0))
        return AppointmentFactory(
            client=kwargs.pop("client", a_client),
            therapist=kwargs.pop("therapist", therapist),
            service=kwargs.pop("service", priced_service),
            starts_at=starts_at,
            **kwargs,
        )

    return make


@pytest.fixture
def checked_in(make_visit):
    """Check a visit in through booking (which drafts its invoice)."""

    def make(**kwargs):
        visit = make_visit(**kwargs)
        return check_in(visit, now=visit.starts_at)

    return make


@pytest.fixture
def claimed(checked_in, front_desk_user):
    """A 113.00 visit checked out with 80.00 billed to Sun Life and 33.00 paid by debit."""
    invoice = Invoice.objects.get(appointment=checked_in())
    issued, _ = checkout(
        invoice,
        tenders=[Tender(PaymentMethod.DEBIT, Decimal("33.00"))],
        claim=ClaimPart("Sun Life", "SL-123", Decimal("80.00")),
        idempotency_key="visit",
        by=front_desk_user,
    )
    return issued.claims.get()
