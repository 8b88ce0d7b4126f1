"""The first clinic admin of a new clinic, from an empty database: an account with no password
and a link (printed, and emailed) where they set their own. Everything else is set up from
Tranquil's own screens (/manage/)."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from clinic.accounts.models import Role, User
from clinic.audit.log import Origin
from clinic.core.errors import DomainError
from clinic.setup import staff


class Command(BaseCommand):
    help = "Create the first clinic admin and print the link where they set their password."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument(
            "--superuser",
            action="store_true",
            help="Also open Django's technical admin to them (superuser).",
        )

    def handle(self, *args, email, first_name, last_name, superuser, **options):
        if User.objects.filter(role=Role.CLINIC_ADMIN, is_active=True).exists():
            raise CommandError(
                "This clinic already has an admin; they invite colleagues at /manage/staff/."
            )
        with transaction.atomic():
            try:
                user = staff.invite_staff(
                    email=email,
                    role=Role.CLINIC_ADMIN,
                    first_name=first_name,
                    last_name=last_name,
                    by=Origin(None, label="manage.py bootstrap_clinic"),
                )
            except DomainError as error:
                raise CommandError(error.message) from error
            if superuser:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        self.stdout.write(f"Clinic admin {user.email} created. Set the password here:")
        self.stdout.write(staff.invite_url(user))
