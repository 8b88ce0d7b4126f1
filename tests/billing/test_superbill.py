"""The US superbill: a clinic setting turns it on; CPT 97124 in 15-minute units, ICD-10 codes
suggested from the intake and adjustable by the desk or the visit's therapist; every field in
the PDF; audited."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from clinic.accounts.models import Role
from clinic.audit.models import AuditEvent
from clinic.billing.checkout import Tender, checkout
from clinic.billing.icd10 import suggest, units_of_97124
from clinic.billing.invoices import BillingError
from clinic.billing.models import Invoice, PaymentMethod, SuperbillCodes
from clinic.billing.superbill import choose_codes, codes_for
from clinic.core.models import ClinicSettings
from clinic.setup.clinic_settings import SettingsError, update_settings
from intake import services
from tests.billing.test_receipts import pdf_text
from tests.factories import ClientWithLoginFactory, TherapistFactory
from tests.intake.answers_fixtures import clear_answers

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("minutes", "units"), [(60, 4), (50, 3), (53, 4), (7, 0), (8, 1), (90, 6), (30, 2)]
)
def test_97124_units_follow_the_8_minute_rule(minutes, units):
    assert units_of_97124(minutes) == units


@pytest.mark.parametrize(
    ("answers", "findings", "codes"),
    [
        ({}, [], ["M54.50"]),
        ({"pain_radiates_below_knee": True}, [], ["M54.40"]),
        ({"leg_numbness_or_tingling": True}, [], ["M54.40"]),
        ({}, ["CL_RADICULAR"], ["M54.40"]),
        ({"injury_in_area": "subacute"}, ["PR_SUBACUTE_INJURY"], ["M54.50", "S39.012A"]),
        ({"injury_in_area": "chronic"}, [], ["M54.50"]),
        ({"pain_duration_weeks": 12}, [], ["M54.50", "G89.29"]),
        ({"pain_duration_weeks": 11}, [], ["M54.50"]),
    ],
)
def test_the_intake_suggests_icd10_codes(answers, findings, codes):
    assert suggest(answers, findings) == codes


@pytest.fixture
def us_clinic(clinic):
    clinic.superbill_enabled = True
    clinic.name = "Tranquil Austin"
    clinic.address = "500 Congress Ave, Austin TX"
    clinic.phone = "+15125550100"
    clinic.tax_number = "74-1234567"
    clinic.billing_npi = "1234567893"
    clinic.place_of_service = "11"
    clinic.currency = "USD"
    clinic.save()
    return clinic


@pytest.fixture
def paid_visit(us_clinic, checked_in, therapist, a_client, front_desk_user):
    therapist.user.first_name, therapist.user.last_name = "Maya", "Lindqvist"
    therapist.user.save()
    therapist.credentials = "LMT"
    therapist.registration_number = "1098765435"
    therapist.save()
    a_client.date_of_birth = date(1980, 5, 17)
    a_client.save()
    services.submit_intake(
        a_client,
        clear_answers(
            pain_radiates_below_knee=True,
            leg_numbness_or_tingling=True,
            medically_evaluated=True,
            pain_duration_weeks=14,
        ),
        None,
    )
    invoice = Invoice.objects.get(appointment=checked_in())
    issued, _ = checkout(
        invoice,
        tenders=[Tender(PaymentMethod.CREDIT, Decimal("100.00"))],
        idempotency_key="k",
        by=front_desk_user,
    )
    return issued


def test_the_superbill_pdf_shows_every_field(client_as, paid_visit, tmp_path):
    response = client_as(Role.FRONT_DESK).get(reverse("billing-superbill", args=[paid_visit.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content, tmp_path).split())
    visit_day = paid_visit.appointment.starts_at.astimezone(ClinicSettings.load().zone).date()
    for expected in [
        "Superbill INV-000001",
        "Tranquil Austin",
        "500 Congress Ave, Austin TX",
        "Billing NPI: 1234567893",
        "Tax ID: 74-1234567",
        "Maya Lindqvist, LMT",
        "Provider NPI / licence number: 1098765435",
        a_client_name(paid_visit),
        "Date of birth: 1980-05-17",
        f"Date of service: {visit_day.isoformat()}",
        "Duration: 60 minutes",
        "Place of service: 11",
        "A M54.40 Lumbago with sciatica, unspecified side",
        "B G89.29 Other chronic pain",
        "97124 Massage, 1 or more areas, each 15 minutes AB 4 113.00",
        "Total fees 113.00",
        "Amount paid 100.00",
        "Balance due 13.00",
        "USD",
    ]:
        assert expected in text, expected


def a_client_name(invoice):
    return invoice.client.full_name


def test_the_superbill_is_audited_as_an_export(client_as, paid_visit, front_desk_user):
    client_as(Role.FRONT_DESK).get(reverse("billing-superbill", args=[paid_visit.pk]))
    rows = list(
        AuditEvent.objects.filter(actor=front_desk_user)
        .order_by("id")
        .values_list("action", "object_type", "detail")
    )
    assert rows[-2:] == [
        ("view", "intake", "superbill codes for INV-000001"),
        ("export", "billing.invoice", "superbill"),
    ]


def test_the_visits_therapist_adjusts_the_codes(client_as, paid_visit, tmp_path):
    url = reverse("billing-superbill-codes", args=[paid_visit.pk])
    therapist = client_as(Role.THERAPIST)
    page = therapist.get(url)
    assert page.status_code == 200 and "Suggested from the client" in page.text
    assert 'value="M54.40" checked' in page.text and "113.00" not in page.text
    assert therapist.post(url, {"codes": ["M54.41", "M62.830"]}).status_code == 302
    assert SuperbillCodes.objects.get(invoice=paid_visit).codes == ["M54.41", "M62.830"]
    assert AuditEvent.objects.filter(
        object_type="billing.superbillcodes", action="create", detail__contains="M54.41, M62.830"
    ).exists()
    pdf = client_as(Role.FRONT_DESK).get(reverse("billing-superbill", args=[paid_visit.pk]))
    text = pdf_text(pdf.content, tmp_path)
    assert "M54.41" in text and "Muscle spasm of back" in text and "M54.40" not in text


@pytest.mark.parametrize(
    ("codes", "rule"),
    [
        ([], "BAD_ICD10_COUNT"),
        (["M54.50", "M54.59", "M54.30", "M54.31", "M54.32"], "BAD_ICD10_COUNT"),
        (["Z99.9"], "BAD_ICD10"),
        (["<script>"], "BAD_ICD10"),
    ],
)
def test_bad_codes_are_refused(client_as, paid_visit, front_desk_user, codes, rule):
    with pytest.raises(BillingError) as refused:
        choose_codes(paid_visit, codes, by=front_desk_user)
    assert refused.value.code == rule
    url = reverse("billing-superbill-codes", args=[paid_visit.pk])
    assert client_as(Role.FRONT_DESK).post(url, {"codes": codes}).status_code == 400
    assert not SuperbillCodes.objects.exists()


def test_changing_the_codes_again_is_audited_as_an_update(paid_visit, front_desk_user):
    choose_codes(paid_visit, ["M54.50"], by=front_desk_user)
    choose_codes(paid_visit, ["M54.59", "M54.59"], by=front_desk_user)
    assert codes_for(paid_visit, by=front_desk_user) == (["M54.59"], False)
    assert AuditEvent.objects.filter(
        object_type="billing.superbillcodes", action="update", detail="superbill codes M54.59"
    ).exists()


def test_another_therapist_cannot_reach_the_codes(client, paid_visit):
    client.force_login(TherapistFactory().user)
    url = reverse("billing-superbill-codes", args=[paid_visit.pk])
    assert client.get(url).status_code == 404


def test_a_client_prints_their_own_superbill_only(client, client_as, paid_visit):
    url = reverse("billing-superbill", args=[paid_visit.pk])
    assert client_as(Role.CLIENT).get(url).status_code == 200
    portal = client_as(Role.CLIENT).get(reverse("billing-my-invoices"))
    assert f"Superbill {paid_visit.label}" in portal.text
    client.force_login(ClientWithLoginFactory().user)
    assert client.get(url).status_code == 404


def test_superbills_are_off_unless_the_clinic_turns_them_on(client_as, paid_visit, us_clinic):
    us_clinic.superbill_enabled = False
    us_clinic.save()
    desk = client_as(Role.FRONT_DESK)
    assert desk.get(reverse("billing-superbill", args=[paid_visit.pk])).status_code == 404
    assert desk.get(reverse("billing-superbill-codes", args=[paid_visit.pk])).status_code == 404
    page = desk.get(reverse("billing-checkout", args=[paid_visit.appointment_id]))
    assert "Superbill" not in page.text


def test_the_checkout_page_links_the_superbill(client_as, paid_visit):
    page = client_as(Role.FRONT_DESK).get(
        reverse("billing-checkout", args=[paid_visit.appointment_id])
    )
    assert reverse("billing-superbill", args=[paid_visit.pk]) in page.text


@pytest.mark.parametrize(
    ("field", "value"), [("billing_npi", "12345"), ("place_of_service", "office")]
)
def test_superbill_settings_are_checked(clinic_admin_user, field, value):
    with pytest.raises(SettingsError):
        update_settings(changes={field: value}, by=clinic_admin_user)
