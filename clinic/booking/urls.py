from django.urls import path

from .views import desk, feeds, grid, online, portal, schedule

urlpatterns = [
    path("day/", grid.day_view, name="booking-day"),
    path("week/", grid.week_view, name="booking-week"),
    path("next-available/", grid.next_available, name="booking-next-available"),
    path("clients/", desk.client_search, name="booking-client-search"),
    path("clients/new/", desk.client_new, name="booking-client-new"),
    path("book/", desk.book_view, name="booking-book"),
    path("series/", desk.series_book, name="booking-series"),
    path("series/done/", desk.series_done, name="booking-series-done"),
    path("appointments/<int:pk>/", schedule.appointment_detail, name="booking-appointment"),
    path("appointments/<int:pk>/ics/", schedule.appointment_ics, name="booking-appointment-ics"),
    path("appointments/<int:pk>/reschedule/", desk.reschedule_view, name="booking-reschedule"),
    path("appointments/<int:pk>/move/", grid.move_visit, name="booking-move"),
    path("appointments/<int:pk>/cancel/", desk.cancel_view, name="booking-cancel"),
    path("appointments/<int:pk>/check-in/", desk.check_in_view, name="booking-check-in"),
    path("appointments/<int:pk>/no-show/", desk.no_show_view, name="booking-no-show"),
    path("appointments/<int:pk>/complete/", desk.complete_view, name="booking-complete"),
    path("calendar/", feeds.my_calendar, name="booking-calendar"),
    path("calendar/<str:token>.ics", feeds.feed, name="booking-calendar-feed"),
    path(
        "therapists/<int:pk>/calendar/regenerate/",
        feeds.regenerate,
        name="booking-calendar-regenerate",
    ),
    path("online/", online.services, name="booking-online"),
    path("online/<int:pk>/", online.slots, name="booking-online-slots"),
    path("online/<int:pk>/book/", online.book, name="booking-online-book"),
    path("online/<int:pk>/register/", online.register, name="booking-online-register"),
    path("online/visits/<int:pk>/", online.done, name="booking-online-done"),
    path("my-visits/<int:pk>/cancel/", portal.cancel, name="booking-my-cancel"),
    path("my-visits/<int:pk>/reschedule/", portal.reschedule, name="booking-my-reschedule"),
]
