"""Every route the project registers, requested anonymously and as each role.

The table lives in tests/access/: a route missing from it fails here, so each feature declares
who may use it the day it is added. Django's admin is one row: superusers only (a clinic admin
runs the clinic from /manage/ and never needs it).
"""

from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from clinic.accounts.models import Role
from tests.access import PUBLIC, all_routes, build_world
from tests.conftest import ROLES
from tests.factories import UserFactory

ROUTES = all_routes()
VISITORS = [None, *ROLES]


def registered_names(resolver=None, namespace=""):
    """Every named URL pattern, walked from the project's root resolver."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: one row of its own, below
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names |= registered_names(entry, inner)
        elif isinstance(entry, URLPattern):
            assert entry.name, f"unnamed URL pattern {entry.pattern}: name it to give it a row"
            names.add(namespace + entry.name)
    return names


def test_every_registered_route_has_a_row_in_the_matrix():
    missing = registered_names() - ROUTES.keys()
    assert not missing, f"add these routes to tests/access/: {sorted(missing)}"
    stale = ROUTES.keys() - registered_names()
    assert not stale, f"these rows name no route: {sorted(stale)}"


@pytest.fixture
def world(db, a_client, therapist):
    """The rows a route's URL arguments point at; each app's access module may add more."""
    return build_world(SimpleNamespace(client=a_client, therapist=therapist))


def is_refusal(response):
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def send(http, route, url, world):
    if route.method == "get":
        return http.get(url)
    if url.startswith("/api/"):
        return getattr(http, route.method)(url, route.data(world), content_type="application/json")
    return getattr(http, route.method)(url, route.data(world))


@pytest.mark.parametrize("visitor", VISITORS, ids=lambda v: v or "anonymous")
@pytest.mark.parametrize("name", sorted(ROUTES))
def test_route_access_follows_the_matrix(client_as, world, name, visitor):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(world))
    response = send(client_as(visitor), route, url, world)
    if route.allowed == PUBLIC:
        assert response.status_code < 500 and response.status_code not in (401, 403, 404)
    elif visitor in route.allowed:
        assert not is_refusal(response), f"{visitor} refused at {url}: {response.status_code}"
        assert response.status_code < 500
        assert response.status_code != 404, f"{url} answered 404 for {visitor}"
    elif visitor is None:
        assert is_refusal(response), f"anonymous let into {url}: {response.status_code}"
    else:
        assert response.status_code == 403, f"{visitor} let into {url}: {response.status_code}"


def admin_urls():
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


@pytest.mark.parametrize("visitor", [*VISITORS, "superuser"], ids=lambda v: v or "anonymous")
def test_django_admin_opens_for_superusers_only(client, client_as, world, visitor):
    if visitor == "superuser":
        client.force_login(
            UserFactory(email="root@tranquil.test", role=Role.CLINIC_ADMIN, is_superuser=True)
        )
        http = client
    else:
        http = client_as(visitor)
    for url in admin_urls():
        response = http.get(url)
        if visitor == "superuser":
            assert response.status_code == 200, url
        else:
            # Django's admin sends everyone else, clinic admins included, to its own login page.
            assert response.status_code == 302 and "/admin/login/" in response.url, url
