"""The diagnosis codes chosen for a visit's superbill (US clinics)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class SuperbillCodes(models.Model):
    """The ICD-10 codes on an invoice's superbill, once the desk or the therapist chose them
    (until then the intake's suggestion is printed). Every change is audited."""

    invoice = models.OneToOneField(
        "billing.Invoice", on_delete=models.PROTECT, related_name="superbill_codes"
    )
    codes = models.JSONField(default=list)
    chosen_at = models.DateTimeField(default=timezone.now)
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "superbill codes"

    def __str__(self):
        return ", ".join(self.codes)
