"""Checkout's partial credit note: chosen lines and/or an amount of the issued invoice, with a
reason. Returns None (the page redirects) or raises a DomainError (the page shows it, 400)."""

from decimal import Decimal

from django import forms
from django.contrib import messages

from .credit import partial_credit_note
from .invoices import BillingError


class PartialCreditForm(forms.Form):
    lines = forms.TypedMultipleChoiceField(coerce=int, required=False, label="Lines")
    amount = forms.DecimalField(
        min_value=Decimal("0.01"),
        max_digits=10,
        decimal_places=2,
        required=False,
        label="Amount to credit",
        help_text="Leave empty to credit what is left of the chosen lines.",
    )
    reason = forms.CharField(max_length=500, label="Why")

    def __init__(self, *args, line_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(pk, pk) for pk in line_ids]


def _credit_part(request, visit, invoice):
    form = PartialCreditForm(request.POST, line_ids=[line.pk for line in invoice.lines.all()])
    if not form.is_valid():
        raise BillingError(
            "Choose lines of this invoice and/or an amount, and say why.", code="BAD_CREDIT"
        )
    data = form.cleaned_data
    note = partial_credit_note(
        invoice,
        reason=data["reason"],
        line_ids=data["lines"],
        amount=data["amount"],
        by=request.user,
    )
    messages.success(request, f"Credit note {note.label} for {-note.total} written.")


CREDIT_ACTIONS = {"credit_part": _credit_part}
