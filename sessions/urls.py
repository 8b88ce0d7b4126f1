from django.urls import path

from . import note_views, pdf, views

urlpatterns = [
    path("clients/<int:client_id>/record/", views.client_record, name="treatment-record"),
    path("clients/<int:client_id>/record/pdf/", pdf.record_pdf, name="treatment-record-pdf"),
    path("clients/<int:client_id>/progress/", views.client_progress, name="treatment-progress"),
    path("clients/<int:client_id>/plans/new/", views.plan_create, name="plan-create"),
    path("clients/<int:client_id>/home-care/", views.home_care, name="home-care"),
    path("clients/<int:client_id>/practice/", views.practice_record, name="practice-record"),
    path("me/home-care/", views.my_home_care, name="my-home-care"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path(
        "appointments/<int:appointment_id>/note/",
        note_views.note_for_appointment,
        name="note-for-appointment",
    ),
    path("notes/<int:pk>/", note_views.note_detail, name="note-detail"),
    path("notes/<int:pk>/edit/", note_views.note_edit, name="note-edit"),
    path("notes/<int:pk>/sign/", note_views.note_sign, name="note-sign"),
    path("notes/<int:pk>/autosave/", note_views.note_autosave, name="note-autosave"),
    path("notes/<int:pk>/amendments/", note_views.note_amend, name="note-amend"),
    path("notes/<int:pk>/pdf/", pdf.note_pdf, name="note-pdf"),
]
