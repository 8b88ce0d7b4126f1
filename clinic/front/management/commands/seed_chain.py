"""Fill PostgreSQL with a clinic chain's data for load benchmarks (clinic/front/chain/seed.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from clinic.accounts.models import Client, Therapist
from clinic.booking.models import Appointment
from clinic.front.chain.seed import ChainSize, seed_chain


class Command(BaseCommand):
    help = (
        "Bulk-load a clinic chain: at scale 1, 100 therapists, 100,000 clients, 1,000,000 "
        "appointments over three years, 305,000 signed notes, intakes, plans and reminders. "
        "PostgreSQL only; refuses a database that already holds clients or visits unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0 is the full chain, 0.1 a tenth."
        )
        parser.add_argument(
            "--therapists",
            type=int,
            default=100,
            help="Therapists (100); the scale does not change it, only how much past they have.",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (same data each run).")
        parser.add_argument(
            "--force", action="store_true", help="Add a chain beside the data already there."
        )

    def handle(self, *args, scale, therapists, seed, force, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "seed_chain needs PostgreSQL (it loads with COPY under exclusion constraints); "
                "set DATABASE_URL to a PostgreSQL database."
            )
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10.")
        if not 1 <= therapists <= 10_000:
            raise CommandError("--therapists must be between 1 and 10,000.")
        if not force and any(model.objects.exists() for model in (Client, Therapist, Appointment)):
            raise CommandError(
                "The database already holds clients, therapists or appointments; "
                "use an empty database, or --force to add a chain beside them."
            )
        size = ChainSize.at(scale, therapists)
        self.stdout.write(
            f"Seeding a chain at scale {scale:g}: {size.therapists:,} therapists, "
            f"{size.clients:,} clients, {size.appointments:,} appointments over "
            f"{size.history_days:,} days, {size.signed_notes:,} signed notes"
        )
        started = time.perf_counter()
        written = seed_chain(size, seed=seed, say=self.stdout.write)
        for table, count in written.items():
            self.stdout.write(f"  {table:<36}{count:>12,}")
        self.stdout.write(
            self.style.SUCCESS(f"Chain ready in {time.perf_counter() - started:.1f} s.")
        )
