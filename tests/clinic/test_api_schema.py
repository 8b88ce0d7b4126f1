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
