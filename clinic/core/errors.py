"""One error contract: every refusal a domain module raises, and how it reaches the user.

A domain function refuses by raising a `DomainError` (or a subclass: `BookingClash`,
`SafetyError`, `NoteLocked`, ...) that carries a stable rule `code`, a `message` in plain words,
the `field` it is about (if any) and the HTTP `status` the API answers with. The API answers it
through `exception_handler` (REST_FRAMEWORK's EXCEPTION_HANDLER); a page puts it on its form
with `add_error_to_form`. Views and API views call the service and catch nothing.

This module sits low, so every app above may import it; it imports only clinic.accounts's
roles (the refusal a therapist may answer by breaking the glass).
"""

from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from clinic.accounts.roles import NotTreating


class DomainError(Exception):
    """A refusal the user can act on: nothing was changed.

    Subclasses set `code` and `status` as class defaults; a raise site may give its own.
    """

    code = "REFUSED"
    status = 400
    field: str | None = None
    # A subclass whose API body was fixed before rule codes were answered sets this False.
    code_in_body = True

    def __init__(self, message: str, field=None, *, code=None, status=None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status

    def response_body(self) -> dict[str, object]:
        """The API's answer: the message under its field (as DRF names field errors), or as
        `detail`, with the rule code."""
        body = {self.field: [self.message]} if self.field else {"detail": self.message}
        if self.code_in_body:
            body["code"] = self.code
        return body

    def form_errors(self) -> list[tuple[str | None, str]]:
        """(field, message) pairs for a Django form; None is the form as a whole."""
        return [(self.field, self.message)]


def validation_body(error: ValidationError) -> dict:
    """A service's Django ValidationError as the API answers it: field -> messages, or detail."""
    return error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}


def not_treating_body(exc: NotTreating) -> dict[str, object]:
    """A therapist refused a client they do not treat: the rule code and where to ask for
    access with a reason (break the glass)."""
    return {
        "detail": f"{exc} To read the record today, break the glass with a reason.",
        "code": exc.code,
        "break_glass": reverse("api-break-glass", args=[exc.client.pk]),
    }


def exception_handler(exc, context):
    """DRF's exception handler, answering domain refusals too (a 500 otherwise).

    A plain Django ValidationError raised by a service (malformed entries, say) is a 400 with
    its messages; anything else goes to DRF's own handler.
    """
    if isinstance(exc, DomainError):
        response = Response(exc.response_body(), status=exc.status)
    elif isinstance(exc, NotTreating):
        response = Response(not_treating_body(exc), status=403)
    elif isinstance(exc, ValidationError):
        response = Response(validation_body(exc), status=400)
    else:
        return drf_exception_handler(exc, context)
    set_rollback()
    return response


def form_errors(error: DomainError | ValidationError) -> list[tuple[str | None, str]]:
    """(field, message) pairs for a refusal; a plain ValidationError's messages name the
    service's data keys, not the form's fields, so they go on the form as a whole."""
    if isinstance(error, DomainError):
        return error.form_errors()
    return [(None, message) for message in error.messages]


def add_error_to_form(form, error: DomainError | ValidationError) -> None:
    """Put a service's refusal on a form: each message next to its field when the form has
    that field, otherwise at the top of the form."""
    for field, message in form_errors(error):
        form.add_error(field if field in form.fields else None, message)
