"""The HTML forms: they turn posted strings into answers; the rules are in answers/services.

The intake form's fields accept any string on purpose: `to_answers()` converts what the client
typed into JSON-like values and `services.submit_intake()` (through `validate_answers()`) is the
only place that decides what is acceptable, so the form and the API say the same things.
"""

from django import forms

from clinic.core.inputs import MAX_TEXT_LENGTH

from .answers import ANSWER_SPECS, PREGNANCY_DETAIL_KEYS, Kind

YES_NO = (("yes", "Yes"), ("no", "No"))
# The heading the form shows above a question that starts a group.
SECTIONS = {
    "pain_score": "Your back pain",
    "pain_radiates_below_knee": "Your legs and how you feel",
    "history_of_cancer": "Your health history",
    "pregnant": "Pregnancy",
    "dvt_signs": "Circulation, bones and skin",
    "other_conditions": "Anything else",
    "consent": "Consent and signature",
}
BOOL_VALUES = {"yes": True, "no": False}


def _field(spec):
    common = {"label": spec.question, "help_text": spec.help_text, "required": False}
    if spec.key == "consent":
        agree = common | {"label": "I agree to have massage treatment."}
        return forms.BooleanField(**agree, widget=forms.CheckboxInput)
    if spec.kind is Kind.BOOL:
        return forms.CharField(**common, widget=forms.RadioSelect(choices=YES_NO))
    if spec.kind is Kind.CHOICE:
        return forms.CharField(**common, widget=forms.RadioSelect(choices=spec.choices))
    if spec.kind is Kind.INT:
        attrs = {"min": spec.min_value, "max": spec.max_value, "inputmode": "numeric"}
        return forms.CharField(**common, widget=forms.NumberInput(attrs=attrs))
    if spec.key == "signature":
        return forms.CharField(
            **common, strip=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
        )
    return forms.CharField(**common, strip=False, widget=forms.Textarea(attrs={"rows": 3}))


class IntakeForm(forms.Form):
    """Every question of ANSWER_SPECS, in form order, with nothing answered in advance."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, spec in ANSWER_SPECS.items():
            self.fields[key] = _field(spec)
            self.fields[key].section = SECTIONS.get(key)

    def error_links(self) -> list[tuple[str, str, str]]:
        """(question, id of its input, first message) for each question with an error, in form
        order: the summary at the top links each to its input. A question of radio buttons
        links to its first button, the one a keyboard lands on."""
        links = []
        for name, field in self.fields.items():
            if name not in self.errors:
                continue
            anchor = self[name].auto_id
            if isinstance(field.widget, forms.RadioSelect):
                anchor += "_0"
            links.append((field.label, anchor, self.errors[name][0]))
        return links

    def to_answers(self) -> dict:
        """The posted strings as answers: an unanswered question is left out, never a "no".

        Pregnancy details are dropped unless "pregnant" is yes: a client who filled them and
        then answered no should not see errors about questions that no longer apply.
        """
        data = self.data
        answers = {}
        for key, spec in ANSWER_SPECS.items():
            raw = data.get(key)
            if key == "consent":
                answers[key] = raw in ("on", "true", "yes", "1")
            elif raw is None or (raw == "" and spec.kind in (Kind.BOOL, Kind.CHOICE)):
                continue
            elif spec.kind is Kind.BOOL:
                answers[key] = BOOL_VALUES.get(raw, raw)
            elif spec.kind is Kind.INT:
                answers[key] = _to_int(raw)
            else:
                answers[key] = raw
        if answers.get("pregnant") is not True:
            for key in PREGNANCY_DETAIL_KEYS:
                answers.pop(key, None)
        return answers


def _to_int(raw: str):
    """A whole number stays a number; an empty box is null; anything else stays text, so
    validate_answers() refuses it with its own message."""
    text = raw.strip()
    if text == "":
        return None
    try:
        return int(text)
    except ValueError:
        return text


class ClearanceForm(forms.Form):
    provider_name = forms.CharField(label="Provider's name", max_length=200)
    cleared_on = forms.DateField(
        label="Date of the clearance", widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=MAX_TEXT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the provider said, including any limits they set.",
    )
    document = forms.FileField(
        label="Document (optional)",
        required=False,
        help_text="A PDF, PNG or JPEG of the clearance, up to 10 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )


class ClearanceUploadForm(forms.Form):
    """The client's own upload; services.upload_clearance_document() checks the file."""

    document = forms.FileField(
        label="Your provider's note",
        required=False,
        help_text="A photo (PNG or JPEG) or a PDF of the note, up to 10 MB.",
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
