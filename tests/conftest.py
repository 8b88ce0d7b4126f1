"""Fixtures shared by every test: a user of each role, a logged-in test client per role."""

import os
import uuid

import pytest

from clinic.accounts.models import Role
from tests.factories import ClientWithLoginFactory, TherapistFactory, UserFactory

# Playwright's sync API runs an event loop in the test thread; the live server is a real thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROLES = [Role.CLIENT, Role.FRONT_DESK, Role.THERAPIST, Role.CLINIC_ADMIN]


@pytest.fixture
def front_desk_user(db):
    return UserFactory(email="desk@tranquil.test", role=Role.FRONT_DESK)


@pytest.fixture
def clinic_admin_user(db):
    return UserFactory(email="admin@tranquil.test", role=Role.CLINIC_ADMIN)


@pytest.fixture
def superuser_admin(clinic_admin_user):
    """The clinic admin, made a superuser too: Django's admin opens for superusers only."""
    clinic_admin_user.is_superuser = True
    clinic_admin_user.save(update_fields=["is_superuser"])
    return clinic_admin_user


@pytest.fixture
def therapist(db):
    return TherapistFactory(user__email="therapist@tranquil.test")


@pytest.fixture
def therapist_user(therapist):
    return therapist.user


@pytest.fixture
def a_client(db, therapist):
    """A client with a login, treated by `therapist`."""
    return ClientWithLoginFactory(email="client@tranquil.test", primary_therapist=therapist)


@pytest.fixture
def client_user(a_client):
    return a_client.user


@pytest.fixture
def user_of(front_desk_user, clinic_admin_user, therapist_user, client_user):
    """The user of each role, by role name; None stands for anonymous."""
    users = {
        Role.CLIENT: client_user,
        Role.FRONT_DESK: front_desk_user,
        Role.THERAPIST: therapist_user,
        Role.CLINIC_ADMIN: clinic_admin_user,
    }
    return lambda role: users.get(role)


@pytest.fixture
def client_as(client, user_of):
    """The Django test client logged in as the given role (None: anonymous)."""

    def login(role):
        client.logout()
        if role is not None:
            client.force_login(user_of(role))
        return client

    return login


@pytest.fixture
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real worker on the test Redis, reading the test database; stopped after the test."""
    from django.db import connection

    from tests.celery_worker import WorkerProcess

    with django_db_blocker.unblock():
        database_name = connection.settings_dict["NAME"]
    worker = WorkerProcess(database_name).wait_ready()
    yield worker
    worker.stop()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2 costs ~0.3 s a user; the tests are not about hashing strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_clinic_settings():
    # The settings row is cached in the shared Redis: a test that renamed the clinic must not
    # leave its name to the next test, whose database holds the defaults again.
    from django.core.cache import cache

    from clinic.core.models import CACHE_KEY

    cache.delete(CACHE_KEY)
    yield
    cache.delete(CACHE_KEY)


@pytest.fixture(autouse=True)
def fresh_grids():
    # Kept day and week grids live in the shared Redis under the schedule's version: a new
    # version per test, so no test sees a grid drawn from another test's (rolled back) rows.
    from clinic.booking.grid_cache import retire_kept_grids

    retire_kept_grids()


@pytest.fixture(autouse=True)
def own_rate_limit_counts(settings):
    # Every test counts its requests afresh (the counts live in the shared Redis).
    settings.RATELIMIT_CACHE_PREFIX = f"rl:{uuid.uuid4().hex}:"
