"""Phone numbers become PhoneNumberFields stored in E.164; the numbers already saved are
converted first, while the column still holds the text as typed."""

import phonenumber_field.modelfields
from django.conf import settings
from django.db import migrations

from clinic.accounts.phones import saved_numbers_to_e164


def numbers_to_e164(apps, schema_editor):
    # A number phonenumbers cannot read is kept as typed (see e164_or_as_typed), never blanked.
    for model_name in ("Client", "Therapist"):
        saved_numbers_to_e164(
            apps.get_model("accounts", model_name), settings.PHONENUMBER_DEFAULT_REGION
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        # The E.164 text is valid for the old column too, so undoing needs no conversion.
        migrations.RunPython(numbers_to_e164, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="client",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True, max_length=128, region=None
            ),
        ),
        migrations.AlterField(
            model_name="therapist",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True, max_length=128, region=None
            ),
        ),
    ]
