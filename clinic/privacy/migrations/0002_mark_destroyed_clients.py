"""Clients destroyed before Client.record_destroyed_at existed get it from their destruction log,
so they leave the client lists too."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def mark_destroyed(apps, schema_editor):
    Client = apps.get_model("accounts", "Client")
    DestructionLog = apps.get_model("privacy", "DestructionLog")
    destroyed_at = DestructionLog.objects.filter(client_id=OuterRef("pk")).values("destroyed_at")
    Client.objects.filter(
        pk__in=DestructionLog.objects.values("client_id"), record_destroyed_at__isnull=True
    ).update(record_destroyed_at=Subquery(destroyed_at[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0006_client_record_destroyed_at"),
        ("privacy", "0001_initial"),
    ]

    operations = [migrations.RunPython(mark_destroyed, migrations.RunPython.noop)]
