import json

import pytest
from django.core.management import call_command


def test_the_openapi_schema_generates_without_warnings(tmp_path):
    # --fail-on-warn turns every drf-spectacular warning or error into a failure.
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "openapi: 3" in out.read_text()


@pytest.mark.django_db
def test_the_api_accepts_a_token(client, front_desk_user):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=front_desk_user)
    response = client.get("/api/me/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["role"] == "front_desk"


@pytest.mark.django_db
def test_the_api_docs_page_serves_its_own_swagger_files(client, front_desk_user):
    client.force_login(front_desk_user)
    page = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page


@pytest.fixture
def served_schema(client_as):
    response = client_as("front_desk").get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return json.loads(response.content)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method.upper(), path, operation


def success_schema(schema, path, method="get"):
    responses = schema["paths"][path][method]["responses"]
    success = responses.get("200") or responses["201"]
    return success["content"]["application/json"]["schema"]


def component(schema, reference):
    return schema["components"]["schemas"][reference["$ref"].rsplit("/", 1)[1]]


@pytest.mark.parametrize("path", ["/api/appointments/", "/api/reminders/", "/api/plans/"])
def test_paginated_lists_are_documented_as_pages_of_results(served_schema, path):
    page = component(served_schema, success_schema(served_schema, path))
    assert set(page["required"]) == {"count", "results"}
    assert page["properties"]["results"]["type"] == "array"
    parameters = {p["name"] for p in served_schema["paths"][path]["get"]["parameters"]}
    assert {"limit", "offset"} <= parameters


def test_a_notes_amendments_are_documented_as_a_list(served_schema):
    listed = success_schema(served_schema, "/api/notes/{id}/amendments/")
    assert listed["type"] == "array"
    assert listed["items"]["$ref"].endswith("/Amendment")


def test_every_operation_documents_the_refusals_it_can_answer(served_schema):
    for method, path, operation in operations(served_schema):
        codes = operation["responses"].keys()
        if "{" in path:
            assert "404" in codes, f"{method} {path}"
        if {} not in operation.get("security", [{}]):  # {}: may be called signed out
            assert "403" in codes, f"{method} {path}"
        if "requestBody" in operation:
            assert "400" in codes, f"{method} {path}"
        for code in codes:
            if code.startswith("4"):
                assert "application/json" in operation["responses"][code]["content"], code


def test_a_bad_request_is_documented_as_a_map_of_field_errors(served_schema):
    bad = served_schema["paths"]["/api/plans/"]["post"]["responses"]["400"]
    body = component(served_schema, bad["content"]["application/json"]["schema"])
    assert body["additionalProperties"] == {"oneOf": [{"type": "array"}, {"type": "object"}]}
    assert {"detail", "code"} <= body["properties"].keys()


@pytest.mark.django_db
def test_an_api_url_no_route_matches_answers_json_404(client_as):
    response = client_as("therapist").get("/api/notes/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


@pytest.mark.django_db
def test_an_api_query_with_a_nul_answers_json_400(client_as):
    response = client_as("therapist").get("/api/plans/", {"client": "1\x00"})
    assert response.status_code == 400
    assert "unusual characters" in response.json()["detail"]
