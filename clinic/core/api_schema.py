"""The OpenAPI schema tells the truth about refusals, not only about success.

drf-spectacular documents what a view declares. Every operation can also be refused in ways
the project answers the same everywhere (clinic/core/errors.py, DRF's own handler), so they are
documented here once rather than on each view:

- 400 wherever a body or a query is read: field errors, or a rule's `detail` and `code`;
- 403 wherever a permission applies (unauthenticated requests are 403 too: session
  authentication comes first and asks for no `WWW-Authenticate` challenge);
- 404 wherever the path names a record;
- 429 wherever a throttle applies.

A view that declares one of these codes itself keeps its own description, and its own body if
it gives one; a refusal a view declares with no body gets the standard one.

It also says what a time of day looks like here: clinic time with no offset (`21:00:00`), which
OpenAPI's `time` format (RFC 3339, offset required) would call invalid.

This module imports no app: it sits in the bottom layer with the errors it documents.
"""

import uritemplate
from drf_spectacular import openapi
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers
from rest_framework.permissions import AllowAny

CLINIC_TIME = {
    "type": "string",
    "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
    "description": "A time of day in clinic time, HH:MM[:SS], with no offset.",
    "example": "21:00:00",
}
MESSAGES = {"type": "array", "items": {"type": "string"}}

# A 400's body: DRF's field errors (a list of messages per field, or a nested object or list
# for nested fields), a domain refusal's `detail` and `code`, or a safety refusal's findings.
BAD_REQUEST = {
    "type": "object",
    "description": "Bad input; nothing was changed. Each field with a problem maps to its "
    "messages (nested fields nest). A rule that refuses the request as a whole answers "
    "`detail` and its rule `code`.",
    "properties": {
        "detail": {"oneOf": [{"type": "string"}, MESSAGES]},
        "code": {"type": "string", "description": "The rule code that refused."},
        "non_field_errors": MESSAGES,
        "outcome": {"type": "string", "description": "A screening outcome that blocks it."},
        "violations": {
            "type": "array",
            "items": {"type": "object"},
            "description": "Each safety rule the request broke, with its code and message.",
        },
    },
    "additionalProperties": {"oneOf": [{"type": "array"}, {"type": "object"}]},
}


class RefusalSerializer(serializers.Serializer):
    """Any other refusal: what was refused, in plain words, with the rule code when a domain
    rule refused (clinic/core/errors.py)."""

    detail = serializers.CharField(help_text="What was refused, in plain words.")
    code = serializers.CharField(
        required=False, help_text="The rule code, when a clinic rule refused."
    )


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's AutoSchema, adding the refusals every API view can answer."""

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self._refusals().items():
            responses.setdefault(code, {"description": description})
        for code, declared in responses.items():
            if code.startswith("4") and "content" not in declared:
                body = self._bad_request() if code == "400" else RefusalSerializer
                documented = self._get_response_for_code(body, code, direction=direction)
                declared["content"] = documented["content"]
        return responses

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        if isinstance(field, serializers.TimeField):
            return dict(CLINIC_TIME)
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _refusals(self):
        """The refusals this operation can answer, whatever its view declares: code -> why."""
        refusals = {}
        if self._reads_input():
            refusals["400"] = "Bad input; nothing was changed."
        if any(not isinstance(check, AllowAny) for check in self.view.get_permissions()):
            refusals["403"] = "Not signed in, or not allowed to."
        if uritemplate.variables(self.path):
            refusals["404"] = "No such record, or not one you may see."
        if self.view.get_throttles():
            refusals["429"] = "Too many requests; try again later."
        return refusals

    def _reads_input(self):
        if self._get_request_body():
            return True
        return any(parameter["in"] == "query" for parameter in self._get_parameters())

    def _bad_request(self):
        component = ResolvedComponent(
            name="BadRequest",
            type=ResolvedComponent.SCHEMA,
            schema=BAD_REQUEST,
            object="BadRequest",
        )
        self.registry.register_on_missing(component)
        return component.ref


def page_of(item: type[serializers.Serializer]) -> type[serializers.Serializer]:
    """The schema of one page of `item`s as LimitOffsetPagination answers it, for an APIView
    that pages by hand (drf-spectacular pages only generic list views by itself)."""
    name = item.__name__.removesuffix("Serializer")
    return type(
        f"{name}PageSerializer",
        (serializers.Serializer,),
        {
            "__doc__": f"One page of {name} rows.",
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": item(many=True),
        },
    )
