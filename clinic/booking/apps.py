from django.apps import AppConfig


class BookingConfig(AppConfig):
    name = "clinic.booking"
    label = "booking"
    verbose_name = "Booking"

    def ready(self):
        from .grid_cache import connect_receivers

        connect_receivers()
