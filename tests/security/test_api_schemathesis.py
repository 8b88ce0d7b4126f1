"""Schemathesis against the app's own OpenAPI schema, as each staff role.

Every operation of /api/schema/ is called through the WSGI app (no network) with generated
valid and invalid input, as front desk, therapist and clinic admin, against the permission
matrix's world (tests/access: clients, visits, an intake, a clearance, a plan, a signed and a
draft note, reminders). Path ids and the ids a body or query names (client, therapist, visit,
...) are mapped onto that world's rows, so most requests reach a real record and the rest a
missing one. Each answer must be no 5xx and conform to the schema: a documented status, the
documented content type and a body of the documented shape, and never be stored by a cache
(`Cache-Control: no-store`, refusals included). Unsafe methods run too: the database is rolled
back after each operation and role.
"""

import json
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clinic.accounts.models import Role
from tests.access import build_world


def not_stored(ctx, response, case):
    """Every API answer may carry health data, or say whether a record exists."""
    cache_control = ", ".join(response.headers.get("cache-control", []))
    assert "no-store" in cache_control, f"Cache-Control: {cache_control!r}"


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    not_stored,
]
# Examples from the schema plus this many generated cases per operation and role (valid and
# invalid input), the same cases on every run.
EXAMPLES = 12
MISSING_ID = 2_000_000_000  # an id no row has: each id is sometimes this one


def load_schema():
    """The schema as /api/schema/ serves it, read from the generator (no request needed)."""
    raw = SchemaGenerator().get_schema(request=None, public=True)
    document = OpenApiJsonRenderer().render(raw, renderer_context={})
    config = schemathesis.Config.from_dict(
        {
            # The coverage phase enumerates every boundary of every field: too many requests
            # for CI. Explicit examples and bounded, deterministic fuzzing stay.
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "generation": {"deterministic": True},
        }
    )
    loaded = schemathesis.openapi.from_dict(json.loads(document), config=config)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()

# The current test's rows, by what an id names; filled by the `known_ids` fixture.
KNOWN: dict[str, list[int]] = {}
PATH_KINDS = {
    "/api/intakes/": "intake",
    "/api/clients/": "client",
    "/api/appointments/": "appointment",
    "/api/plans/": "plan",
    "/api/notes/": "note",
    "/api/reminders/": "reminder",
}
NAMED_KINDS = {"client", "therapist", "service", "room", "appointment", "visit", "plan"}


def known_id(kind, generated):
    """One of the world's ids for `kind` (or the missing id), picked by the generated value."""
    choices = [*KNOWN.get(kind, []), MISSING_ID]
    if isinstance(generated, bool) or not isinstance(generated, int):
        return generated  # not an id at all: left as generated, the API must refuse it
    return choices[generated % len(choices)]


@schema.hook("map_path_parameters")
def ids_in_the_path(context, path_parameters):
    if not path_parameters:
        return path_parameters
    path = context.operation.path
    kind = next((kind for prefix, kind in PATH_KINDS.items() if path.startswith(prefix)), None)
    return {
        name: known_id(kind, value) if kind and name in ("id", "pk", "client_id") else value
        for name, value in path_parameters.items()
    }


def ids_named(values):
    if not isinstance(values, dict):
        return values
    kinds = {"visit": "appointment"}
    return {
        name: known_id(kinds.get(name, name), value) if name in NAMED_KINDS else value
        for name, value in values.items()
    }


@schema.hook("map_query")
def ids_in_the_query(context, query):
    return searchable_window(ids_named(query))


def searchable_window(query):
    """Two generated instants are rarely under the search's 31 days apart: half the time the
    end is moved to a week after the start, so the search itself runs too."""
    if not isinstance(query, dict) or not {"start", "end"} <= query.keys():
        return query
    try:
        start = datetime.fromisoformat(str(query["start"]))
    except ValueError:
        return query  # not an instant: the API must refuse it
    if start.tzinfo is None or len(str(query["end"])) % 2:
        return query
    return {**query, "end": (start + timedelta(days=7)).isoformat()}


@schema.hook("map_body")
def ids_in_the_body(context, body):
    return ids_named(body)


@pytest.fixture
def known_ids(db, a_client, therapist):
    world = build_world(SimpleNamespace(client=a_client, therapist=therapist))
    KNOWN.clear()
    KNOWN.update(
        client=[world.client.pk],
        therapist=[world.therapist.pk],
        service=[world.service.pk],
        room=[world.appointment.room_id],
        appointment=[world.appointment.pk, world.visit.pk, world.draft_note.appointment_id],
        intake=[world.intake.pk],
        plan=[world.plan.pk],
        note=[world.signed_note.pk, world.draft_note.pk],
        reminder=[world.visit_reminder.pk, world.failed_reminder.pk],
    )
    yield world
    KNOWN.clear()


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """The WSGI handler closes the database connection after each request (Django's test
    client unhooks that too): the test's transaction must outlive the requests."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_of(user_of):
    return lambda role: Token.objects.get_or_create(user=user_of(role))[0].key


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST, Role.CLINIC_ADMIN])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_api_operation_answers_as_its_schema_says(
    case, role, known_ids, token_of, wsgi_keeps_the_test_connection
):
    case.call_and_validate(headers={"Authorization": f"Token {token_of(role)}"}, checks=CHECKS)
