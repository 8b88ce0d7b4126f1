"""Answers the treatment app gives to booking's questions (connected in TreatmentConfig.ready)."""

from django.dispatch import receiver

from clinic.booking.signals import SeriesSuggestion, series_suggested

from .plans import active_plan


@receiver(series_suggested, dispatch_uid="treatment.series_from_active_plan")
def series_from_active_plan(sender, client, **kwargs) -> SeriesSuggestion | None:
    """The series the client's active treatment plan asks for."""
    plan = active_plan(client)
    if plan is None:
        return None
    return SeriesSuggestion(
        every_weeks=plan.frequency_weeks,
        visits=plan.visits_planned,
        frequency=plan.get_frequency_weeks_display(),
    )
