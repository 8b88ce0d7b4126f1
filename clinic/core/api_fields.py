"""Serializer fields for untrusted API input that DRF's own fields let fail as a 500."""

from rest_framework import serializers

from .inputs import OUT_OF_RANGE, validate_supported_day


class SupportedDateTimeField(serializers.DateTimeField):
    """A date and time between 1900 and 2999. DRF overflows (OverflowError, a 500) when it checks
    a time with no offset near the end of year 9999 in the clinic's zone; that is refused here
    with the same message as every other far-off day."""

    default_error_messages = {
        **serializers.DateTimeField.default_error_messages,
        "out_of_range": OUT_OF_RANGE,
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [validate_supported_day])
        super().__init__(**kwargs)

    def to_internal_value(self, value):
        try:
            return super().to_internal_value(value)
        except OverflowError:
            self.fail("out_of_range")
