"""Run one dispatch pass in this process: for operators and cron-only deployments. It sweeps
the waitlist too (lapses, offers, sends), so a clinic without beat still fills freed slots."""

from django.core.management.base import BaseCommand

from clinic.core.checks import ensure_secret_key
from clinic.reminders.dispatch import BATCH_SIZE, dispatch_pass
from clinic.reminders.offers import SENT, waitlist_pass


class Command(BaseCommand):
    help = (
        "Send every due reminder now, in this process, through the same code path as the "
        "beat task, and sweep the waitlist (lapse held offers, offer open slots, send the "
        "offers). Safe to run while the worker runs, or twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)

    def handle(self, *args, batch_size, **options):
        ensure_secret_key()  # the reminders and the offers carry signed links
        waitlist = waitlist_pass()
        self.stdout.write(
            f"Waitlist: {waitlist['lapsed']} offers lapsed, {waitlist['offered']} slots offered, "
            f"{waitlist[SENT]} offers sent."
        )
        counts = dispatch_pass(inline=True, batch_size=batch_size)
        claimed = counts.pop("claimed", 0)
        details = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
        self.stdout.write(
            f"{claimed} due reminders handled" + (f": {details}." if details else ".")
        )
