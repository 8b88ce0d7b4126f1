from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from clinic.core.views import favicon, health

api_patterns = [
    path("", include("clinic.accounts.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("clinic.booking.api_urls")),
    path("", include("sessions.api_urls")),
    path("", include("clinic.reminders.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

urlpatterns = [
    path("", include("clinic.front.urls")),
    path("accounts/", include("clinic.accounts.urls")),
    path("intake/", include("intake.urls")),
    path("booking/", include("clinic.booking.urls")),
    path("treatment/", include("sessions.urls")),
    path("audit/", include("clinic.audit.urls")),
    path("reminders/", include("clinic.reminders.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
]
