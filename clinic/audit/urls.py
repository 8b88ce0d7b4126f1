from django.urls import path

from . import views

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
    path("break-glass/", views.break_glass_review, name="break-glass-review"),
    path(
        "break-glass/<int:pk>/reviewed/",
        views.break_glass_mark_reviewed,
        name="break-glass-mark-reviewed",
    ),
    path("break-glass/clients/<int:pk>/", views.break_glass_page, name="break-glass"),
]
