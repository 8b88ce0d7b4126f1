"""Trigram indexes for the client search, on PostgreSQL only.

They live outside the models' state: SQLite (the embedded default) has neither pg_trgm nor GIN,
and its searches stay plain scans, which a single clinic's few thousand clients never notice.
The indexes are built from clinic.accounts.search, so each is the very expression the search
compares; a change to those expressions needs a new migration that rebuilds them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from clinic.accounts.search import trigram_indexes


def add_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    client = apps.get_model("accounts", "Client")
    for index in trigram_indexes():
        schema_editor.add_index(client, index)


def remove_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    client = apps.get_model("accounts", "Client")
    for index in trigram_indexes():
        schema_editor.remove_index(client, index)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_history")]

    operations = [
        TrigramExtension(),  # skipped by Django itself off PostgreSQL
        migrations.RunPython(add_indexes, remove_indexes),
    ]
