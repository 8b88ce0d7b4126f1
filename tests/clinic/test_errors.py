"""The one error contract: domain refusals answered by the API's exception handler, and put on
a Django form by one helper."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from clinic.booking.booking import BookingClash, BookingError, TransitionRefused
from clinic.core.errors import DomainError, add_error_to_form, exception_handler
from clinic.reminders.links import LinkProblem
from intake.links import LinkUnusable
from intake.services import InvalidInput
from sessions.notes import NoteLocked, NoteRefused
from sessions.safety import SafetyError


class Unavailable(DomainError):
    code = "ROOM_CLOSED"
    status = 409


def answer(error):
    """What the API answers when a view raises `error`."""

    class Refusing(APIView):
        permission_classes = [AllowAny]
        authentication_classes = []

        def get(self, request):
            raise error

    return Refusing.as_view()(APIRequestFactory().get("/"))


def test_a_domain_error_answers_its_status_with_the_message_and_rule_code():
    response = answer(Unavailable("The room is closed for cleaning."))
    assert response.status_code == 409
    assert response.data == {"detail": "The room is closed for cleaning.", "code": "ROOM_CLOSED"}


def test_a_domain_error_about_a_field_answers_under_that_field():
    response = answer(DomainError("Choose a day in the future.", "date", code="DATE_PASSED"))
    assert response.status_code == 400
    assert response.data == {"date": ["Choose a day in the future."], "code": "DATE_PASSED"}


def test_a_raise_site_may_give_its_own_code_and_status():
    response = answer(NoteRefused("A draft is edited.", code="NOTE_IS_DRAFT", status=409))
    assert (response.status_code, response.data) == (409, {"detail": "A draft is edited."})


def test_a_services_validation_error_answers_400_with_its_messages():
    assert answer(ValidationError({"status": ["Taken."]})).data == {"status": ["Taken."]}
    response = answer(ValidationError("Practice cannot be recorded for a future day."))
    assert response.status_code == 400
    assert response.data == {"detail": ["Practice cannot be recorded for a future day."]}


def test_other_exceptions_fall_back_to_drfs_own_handler():
    response = answer(NotFound("No such link."))
    assert (response.status_code, response.data) == (404, {"detail": "No such link."})
    assert exception_handler(RuntimeError("a bug"), {}) is None


@pytest.mark.parametrize(
    "refusal",
    [
        BookingError,
        BookingClash,
        TransitionRefused,
        SafetyError,
        NoteLocked,
        NoteRefused,
        InvalidInput,
        LinkUnusable,
        LinkProblem,
    ],
)
def test_every_refusal_is_a_domain_error(refusal):
    assert issubclass(refusal, DomainError)


def test_invalid_input_is_still_a_validation_error_with_its_field_messages():
    error = InvalidInput({"email": ["This client has no email address: add one first."]})
    assert isinstance(error, ValidationError)
    assert error.message_dict == {"email": ["This client has no email address: add one first."]}
    assert (error.code, error.message) == (
        "INVALID_INPUT",
        "This client has no email address: add one first.",
    )


class VisitForm(forms.Form):
    start = forms.CharField()
    reason = forms.CharField(required=False)


def filled_form():
    form = VisitForm({"start": "10:00"})
    assert form.is_valid()
    return form


def test_the_form_helper_puts_the_message_on_its_field():
    form = filled_form()
    add_error_to_form(form, BookingError("That time has already passed.", "start"))
    assert form.errors == {"start": ["That time has already passed."]}


def test_the_form_helper_puts_a_message_for_a_field_the_form_lacks_at_the_top():
    form = filled_form()
    add_error_to_form(form, BookingError("Westside is not in use.", "room"))
    assert form.non_field_errors() == ["Westside is not in use."]
    assert "room" not in form.errors


def test_the_form_helper_puts_every_field_error_of_invalid_input_in_place():
    form = filled_form()
    add_error_to_form(form, InvalidInput({"reason": ["Too long."], "other": ["Unknown."]}))
    assert form.errors == {"reason": ["Too long."], "__all__": ["Unknown."]}


def test_the_form_helper_puts_a_services_validation_error_at_the_top():
    form = filled_form()
    add_error_to_form(form, ValidationError({"start": ["At most one active plan."]}))
    assert form.non_field_errors() == ["At most one active plan."]
