"""Django's admin as a technical tool for superusers only: the clinic admin runs the clinic from
Tranquil's own screens (/manage/), and never needs it."""

from django.contrib import admin

from clinic.accounts.roles import can_use_django_admin


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Tranquil (technical admin)"

    def has_permission(self, request):
        return can_use_django_admin(request.user)
