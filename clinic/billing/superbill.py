"""The US superbill: a visit's invoice as a client's insurer wants it in the United States —
billing and rendering provider, place of service, CPT 97124 in 15-minute units from the
visit's length, ICD-10 diagnosis codes, fees and what was paid. A clinic setting turns it on.

The diagnosis codes are suggested from the client's intake (an audited read of it) until the
desk or the therapist chooses them; each choice and each PDF is audited.
"""

from django.db import transaction
from django.template.loader import render_to_string

from clinic.accounts.models import User
from clinic.audit.log import record
from clinic.audit.models import AuditAction
from clinic.core.clinic_time import local
from clinic.core.models import ClinicSettings
from intake.models import Intake

from .icd10 import CODES, MAX_CODES, suggest, units_of_97124
from .invoices import BillingError
from .models import Invoice, NumberSeries, SuperbillCodes
from .payments import due_on, paid_on

CPT_MASSAGE = "97124"
CPT_TITLE = "Massage, 1 or more areas, each 15 minutes"


def superbill_enabled() -> bool:
    return ClinicSettings.load().superbill_enabled


def _check(invoice: Invoice) -> None:
    if not (invoice.is_issued and invoice.kind == NumberSeries.INVOICE and invoice.appointment):
        raise BillingError(
            "A superbill is made from a visit's issued invoice.", code="NO_SUPERBILL", status=404
        )


def _intake_for(invoice: Invoice, by) -> Intake | None:
    """The client's last intake before the visit ended, its read audited."""
    intake = (
        Intake.objects.filter(
            client_id=invoice.client_id, submitted_at__lte=invoice.appointment.ends_at
        )
        .order_by("-submitted_at")
        .first()
    )
    if intake is not None:
        record(by, AuditAction.VIEW, intake, detail=f"superbill codes for {invoice.label}")
    return intake


def codes_for(invoice: Invoice, *, by) -> tuple[list[str], bool]:
    """(codes, suggested): those chosen for the superbill, or else the intake's suggestion
    (low back pain unspecified when there is no intake)."""
    _check(invoice)
    chosen = SuperbillCodes.objects.filter(invoice=invoice).first()
    if chosen is not None:
        # Diagnosis codes are clinical data: reading them is audited like the intake.
        record(by, AuditAction.VIEW, chosen, client=invoice.client, detail="superbill codes")
        return list(chosen.codes), False
    intake = _intake_for(invoice, by)
    if intake is None:
        return suggest({}, []), True
    return suggest(intake.answers, [f.get("code", "") for f in intake.findings]), True


def choose_codes(invoice: Invoice, codes: list[str], *, by) -> SuperbillCodes:
    """Set the superbill's diagnosis codes: one to four known ICD-10 codes, the primary first."""
    _check(invoice)
    picked = list(dict.fromkeys(code.strip() for code in codes))
    unknown = [code for code in picked if code not in CODES]
    if unknown:
        raise BillingError(f"Unknown ICD-10 code: {unknown[0][:20]}.", "codes", code="BAD_ICD10")
    if not 1 <= len(picked) <= MAX_CODES:
        raise BillingError(
            f"Choose one to {MAX_CODES} diagnosis codes.", "codes", code="BAD_ICD10_COUNT"
        )
    user: User | None = getattr(by, "user", by)  # a request or a user
    user = user if user is not None and user.is_authenticated else None
    with transaction.atomic():
        row, created = SuperbillCodes.objects.select_for_update().get_or_create(
            invoice=invoice, defaults={"codes": picked, "chosen_by": user}
        )
        if not created:
            row.codes, row.chosen_by = picked, user
            row.save(update_fields=["codes", "chosen_by"])
        action = AuditAction.CREATE if created else AuditAction.UPDATE
        record(
            by, action, row, client=invoice.client, detail="superbill codes " + ", ".join(picked)
        )
    return row


def superbill_pdf(invoice: Invoice, *, by) -> bytes:
    """The superbill PDF of a visit's issued invoice, audited as an export."""
    from weasyprint import HTML  # parses its stylesheets on import: only when needed

    codes, _suggested = codes_for(invoice, by=by)
    visit = invoice.appointment
    minutes = int((visit.ends_at - visit.starts_at).total_seconds() // 60)
    codes = codes[:MAX_CODES]
    pointers = "ABCD"[: len(codes)]
    html = render_to_string(
        "billing/superbill.html",
        {
            "invoice": invoice,
            "clinic": ClinicSettings.load(),
            "visit": visit,
            "client": invoice.client,
            "therapist": invoice.therapist,
            "starts_at": local(visit.starts_at),
            "minutes": minutes,
            "diagnoses": [
                (letter, code, CODES[code]) for letter, code in zip(pointers, codes, strict=True)
            ],
            "pointers": pointers,
            "cpt": CPT_MASSAGE,
            "cpt_title": CPT_TITLE,
            "units": units_of_97124(minutes),
            "paid": paid_on(invoice),
            "due": due_on(invoice),
        },
    )
    with transaction.atomic():
        pdf = HTML(string=html).write_pdf()
        record(by, AuditAction.EXPORT, invoice, detail="superbill")
    return pdf
