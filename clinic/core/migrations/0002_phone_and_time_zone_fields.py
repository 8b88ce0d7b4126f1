"""The clinic's phone number becomes a PhoneNumberField stored in E.164 (the saved number is
converted first), and its time zone a TimeZoneField; the zone names already saved stay valid,
since both read them with zoneinfo."""

import phonenumber_field.modelfields
import timezone_field.fields
from django.conf import settings
from django.db import migrations

import clinic.core.models
from clinic.accounts.phones import saved_numbers_to_e164


def number_to_e164(apps, schema_editor):
    # A number phonenumbers cannot read is kept as typed (see e164_or_as_typed), never blanked.
    saved_numbers_to_e164(
        apps.get_model("core", "ClinicSettings"), settings.PHONENUMBER_DEFAULT_REGION
    )


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        # The E.164 text is valid for the old column too, so undoing needs no conversion.
        migrations.RunPython(number_to_e164, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="clinicsettings",
            name="phone",
            field=phonenumber_field.modelfields.PhoneNumberField(
                blank=True, max_length=128, region=None
            ),
        ),
        migrations.AlterField(
            model_name="clinicsettings",
            name="time_zone",
            field=timezone_field.fields.TimeZoneField(
                default=clinic.core.models.default_time_zone, max_length=64, use_pytz=False
            ),
        ),
    ]
