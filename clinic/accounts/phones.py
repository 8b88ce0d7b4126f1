"""Phone numbers as the clinic stores and dials them: E.164 (`+14165550199`)."""

import phonenumbers


def e164_or_as_typed(text: str, region: str | None) -> str:
    """The number in E.164 when phonenumbers reads it as a valid number (a number without a
    country code belongs to `region`); otherwise the text as typed, trimmed.

    Used to convert numbers saved before they were checked: a number that cannot be read is
    kept rather than blanked, so the front desk still sees what the client gave and can fix it.
    """
    text = (text or "").strip()
    if not text:
        return ""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return text
    if not phonenumbers.is_valid_number(number):
        return text
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def saved_numbers_to_e164(model, region: str | None) -> None:
    """Rewrite each row's `phone` with e164_or_as_typed; for the migrations that made the
    phone fields PhoneNumberFields (run while the column still holds the text as typed)."""
    for pk, phone in model.objects.exclude(phone="").values_list("pk", "phone"):
        converted = e164_or_as_typed(phone, region)
        if converted != phone:
            model.objects.filter(pk=pk).update(phone=converted)
