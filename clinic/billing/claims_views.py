"""Checkout's insurer-claim forms: the insurer's part given with the payment, and the actions
that record what the insurer paid or its denial. An action returns None (the page redirects)
or raises a DomainError (the page shows it, 400)."""

from decimal import Decimal

from django import forms
from django.contrib import messages

from .checkout import ClaimPart
from .claims import deny_claim, record_insurer_payment
from .invoices import BillingError

MONEY = {"max_digits": 10, "decimal_places": 2}


class CheckoutClaimForm(forms.Form):
    """The insurer's part, given with the checkout's payment; left empty, nothing is claimed."""

    insurer = forms.CharField(max_length=100, required=False, label="Insurer")
    member_id = forms.CharField(max_length=60, required=False, label="Member or policy id")
    amount = forms.DecimalField(
        min_value=Decimal("0.01"), required=False, label="Amount billed to the insurer", **MONEY
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "insurer")
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        given = [bool(data.get(name)) for name in ("insurer", "member_id", "amount")]
        if any(given) and not all(given):
            raise forms.ValidationError("Give the insurer, the member id and the amount, or none.")
        return data

    def part(self):
        data = self.cleaned_data
        if not data.get("insurer"):
            return None
        return ClaimPart(data["insurer"], data["member_id"], data["amount"])


class InsurerPaidForm(forms.Form):
    claim = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(min_value=Decimal("0.01"), label="Amount paid", **MONEY)
    reference = forms.CharField(max_length=100, required=False, label="Reference")
    key = forms.CharField(max_length=40, widget=forms.HiddenInput)


class DenialForm(forms.Form):
    claim = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=500, label="Why the insurer denied it")


def _valid(form, message):
    if not form.is_valid():
        raise BillingError(message, code="CLAIM_BAD_INPUT")
    return form.cleaned_data


def _claim(invoice, claim_id):
    claim = invoice.claims.filter(pk=claim_id).first()
    if claim is None:
        raise BillingError("No such claim on this invoice.", code="NO_SUCH_CLAIM")
    return claim


def _paid(request, visit, invoice):
    data = _valid(InsurerPaidForm(request.POST), "Give the amount the insurer paid.")
    claim = _claim(invoice, data["claim"])
    record_insurer_payment(
        claim,
        amount=data["amount"],
        reference=data["reference"],
        idempotency_key=data["key"],
        by=request.user,
    )
    messages.success(request, f"{claim.insurer} paid {data['amount']}.")


def _denied(request, visit, invoice):
    data = _valid(DenialForm(request.POST), "Say why the insurer denied the claim.")
    claim = deny_claim(_claim(invoice, data["claim"]), reason=data["reason"], by=request.user)
    messages.warning(request, f"Claim denied: {claim.amount} is the client's to pay.")


CLAIM_ACTIONS = {"claim_paid": _paid, "claim_denied": _denied}
