"""List the clients whose record is past retention: ids and dates, never a name or health data."""

from django.core.management.base import BaseCommand

from ...retention import breaches_past_keeping, retention_due


class Command(BaseCommand):
    help = "List client records past retention (and breach entries older than 24 months)."

    def handle(self, *args, **options):
        due = retention_due()
        self.stdout.write("client_id\tlast_visit\tturned_18\tkept_until")
        for row in due:
            adult = row.adult_on.isoformat() if row.adult_on else "-"
            self.stdout.write(
                f"{row.client_id}\t{row.last_seen_on.isoformat()}\t{adult}\t"
                f"{row.kept_until.isoformat()}"
            )
        old = breaches_past_keeping()
        self.stderr.write(
            f"{len(due)} client record(s) past retention; destroy them from /privacy/retention/. "
            f"{len(old)} breach entr{'y' if len(old) == 1 else 'ies'} older than 24 months "
            "(younger ones are kept)."
        )
