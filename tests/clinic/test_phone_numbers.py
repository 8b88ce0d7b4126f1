"""Numbers saved before phone fields were checked are converted to E.164 by the migration."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import TextField
from django.db.models.functions import Cast

from clinic.accounts.models import Client
from clinic.accounts.phones import e164_or_as_typed
from tests.factories import ClientFactory

migration = importlib.import_module("clinic.accounts.migrations.0002_phone_numbers_e164")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("416-555-0199", "+14165550199"),
        ("(416) 555 0199", "+14165550199"),
        ("+1 416 555 0199", "+14165550199"),
        ("+44 20 7946 0958", "+442079460958"),
        ("  ", ""),
        ("", ""),
        # Kept as typed, so the front desk still sees what the client gave.
        ("call after 5", "call after 5"),
        ("555-0199", "555-0199"),
    ],
)
def test_a_saved_number_becomes_e164_or_stays_as_typed(typed, stored):
    assert e164_or_as_typed(typed, "CA") == stored


def write_raw_phone(client, text):
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Client._meta.db_table} SET phone = %s WHERE id = %s", [text, client.pk]
        )


def raw_phone(client):
    return Client.objects.filter(pk=client.pk).values_list(Cast("phone", TextField()), flat=True)[0]


@pytest.mark.django_db
def test_the_migration_converts_the_numbers_already_saved():
    local, unreadable = ClientFactory(), ClientFactory()
    write_raw_phone(local, "416-555-0199")
    write_raw_phone(unreadable, "ask at the desk")
    # The models as they were before the migration, when the phone was free text.
    before = MigrationExecutor(connection).loader.project_state(("accounts", "0001_initial"))
    migration.numbers_to_e164(before.apps, None)
    assert raw_phone(local) == "+14165550199"
    assert raw_phone(unreadable) == "ask at the desk"
