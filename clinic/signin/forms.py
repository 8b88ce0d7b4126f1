from django import forms


class CodeForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        help_text="The six-digit code your authenticator app shows now, or a recovery code.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )
