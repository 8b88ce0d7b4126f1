"""Every route, as a role allowed to open it: a Content-Security-Policy that runs no inline
script, markup the policy does not have to forgive, and no-store wherever health data may show.

Routes, who may open them and what to send come from the permission matrix (tests/access/):
pages, PDFs, documents and API calls, read (GET) or changed (POST, PATCH) as the matrix does.
(tests/security/test_api_schemathesis.py checks no-store on every API answer it gets too.)
"""

import re
from types import SimpleNamespace

import pytest
from django.urls import reverse

from tests.access import PUBLIC, all_routes, build_world
from tests.test_permission_matrix import send

ROUTES = all_routes()
INLINE_ATTRIBUTE = re.compile(r"<[^>]*\s(style|on[a-z]+)\s*=", re.IGNORECASE)
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


@pytest.fixture
def world(db, a_client, therapist):
    return build_world(SimpleNamespace(client=a_client, therapist=therapist))


def visitor_for(route):
    if route.allowed == PUBLIC:
        return None
    return sorted(route.allowed)[0]


def directives(header):
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {part[0]: part[1:] for part in parts}


def inline_scripts_without_nonce(html):
    return [
        attrs
        for attrs in SCRIPT_TAG.findall(html)
        if "src=" not in attrs and "nonce=" not in attrs and "application/json" not in attrs
    ]


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_every_page_and_api_response_is_served_securely(client_as, world, name):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    visitor = visitor_for(route)
    response = send(client_as(visitor), route, url, world)
    assert response.status_code < 500

    policy = directives(response["Content-Security-Policy"])
    assert "'unsafe-inline'" not in policy["script-src"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    if name != "api-docs":  # Swagger UI's page keeps one <style> block (see clinic/urls.py)
        assert policy["style-src"] == ["'self'"]

    if response.get("Content-Type", "").startswith("text/html"):
        html = response.content.decode()
        assert not INLINE_ATTRIBUTE.search(html), INLINE_ATTRIBUTE.search(html).group(0)
        assert not inline_scripts_without_nonce(html)

    carries_private_data = (
        visitor is not None or "token" in route.kwargs(world) or (url.startswith("/api/"))
    )
    if carries_private_data:
        assert "no-store" in response["Cache-Control"], url


def test_a_token_authenticated_api_call_is_not_stored(client, therapist_user):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=therapist_user)
    response = client.get(reverse("api-me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store, private"


def test_the_week_view_places_visits_from_data_attributes(client_as, world):
    html = client_as("front_desk").get(reverse("booking-week")).content.decode()
    assert "data-height=" in html
    assert "layout.js" in html
