"""Checkout's forms: the rows of a split payment, a discount, a waived fee, a refund."""

import uuid
from decimal import Decimal

from django import forms

from .models import PaymentMethod

MONEY = {"max_digits": 10, "decimal_places": 2}


class TenderForm(forms.Form):
    """One part of the payment; a row left empty is skipped."""

    method = forms.ChoiceField(
        choices=[("", "—"), *PaymentMethod.choices], required=False, label="Method"
    )
    amount = forms.DecimalField(min_value=Decimal("0.01"), required=False, label="Amount", **MONEY)
    reference = forms.CharField(
        max_length=100, required=False, label="Reference", help_text="Slip or claim number."
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("method")) != bool(data.get("amount")):
            raise forms.ValidationError("Give both a method and an amount, or neither.")
        return data


class BaseTenderFormSet(forms.BaseFormSet):
    def tenders(self):
        return [f.cleaned_data for f in self.forms if f.cleaned_data.get("method")]


TenderFormSet = forms.formset_factory(TenderForm, formset=BaseTenderFormSet, extra=3, max_num=3)


class CheckoutKeyForm(forms.Form):
    """The checkout's idempotency key: made when the page is drawn, sent back once or twice."""

    key = forms.CharField(max_length=40, widget=forms.HiddenInput)

    @classmethod
    def fresh(cls):
        return cls(initial={"key": uuid.uuid4().hex})


class DiscountForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    discount = forms.DecimalField(min_value=Decimal("0"), label="Discount", **MONEY)


class WaiveForm(forms.Form):
    line = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(max_length=300, label="Why waive it")


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=500, label="Why")


class RefundForm(forms.Form):
    payment = forms.IntegerField(widget=forms.HiddenInput)
    amount = forms.DecimalField(min_value=Decimal("0.01"), label="Amount", **MONEY)
    reason = forms.CharField(max_length=500, label="Why")
    key = forms.CharField(max_length=40, widget=forms.HiddenInput)


class ChargeForm(forms.Form):
    """Charge the client's card on file; the key makes a double submit one charge."""

    amount = forms.DecimalField(min_value=Decimal("0.01"), label="Amount", **MONEY)
    key = forms.CharField(max_length=40, widget=forms.HiddenInput)
