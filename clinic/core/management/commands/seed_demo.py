"""Create a demo clinic: one login per role, therapists, clients, and each app's own demo data.

Running it again changes nothing: every row is found by a natural key before it is created.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from clinic.core import demo


class Command(BaseCommand):
    help = "Create demo data (idempotent) and print the demo logins."

    def handle(self, *args, **options):
        with transaction.atomic():
            people = demo.seed_people()
            # Each app may add its own demo rows (rooms, services, appointments...) in `<app>.demo`.
            for config in apps.get_app_configs():
                if config.name.startswith("clinic.core"):
                    continue
                try:
                    module = import_module(f"{config.name}.demo")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.demo":
                        raise
                    continue
                module.seed(people)
        self.stdout.write(self.style.SUCCESS("Demo data ready. Log in at /accounts/login/ with:"))
        for role, email in demo.DEMO_LOGINS:
            self.stdout.write(f"  {role:<13} {email:<32} password: {demo.DEMO_PASSWORD}")
