from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from clinic.core.views import favicon, health

# The split view serves Swagger UI's start-up script as a file (?script), so scripts stay 'self'
# only; its page keeps one small <style> block, the one inline style this policy lets through.
api_docs = csp_override({**settings.SECURE_CSP, "style-src": [CSP.SELF, CSP.UNSAFE_INLINE]})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

api_patterns = [
    path("", include("clinic.accounts.api_urls")),
    path("", include("intake.api_urls")),
    path("", include("clinic.booking.api_urls")),
    path("", include("sessions.api_urls")),
    path("", include("clinic.reminders.api_urls")),
    path("", include("clinic.audit.api_urls")),
    path("", include("clinic.privacy.api_urls")),
    path("", include("clinic.reports.api_urls")),
    path("", include("clinic.setup.api_urls")),
    path("", include("clinic.waitlist.api_urls")),
    path("", include("clinic.billing.api_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", api_docs, name="api-docs"),
]

# A therapist refused a client they do not treat is offered to break the glass on this page.
handler403 = "clinic.audit.views.permission_denied"

urlpatterns = [
    path("", include("clinic.front.urls")),
    path("accounts/", include("clinic.signin.urls")),
    path("", include("clinic.setup.urls")),
    path("accounts/", include("clinic.accounts.urls")),
    path("intake/", include("intake.urls")),
    path("booking/", include("clinic.booking.urls")),
    path("treatment/", include("sessions.urls")),
    path("audit/", include("clinic.audit.urls")),
    path("reminders/", include("clinic.reminders.urls")),
    path("privacy/", include("clinic.privacy.urls")),
    path("reports/", include("clinic.reports.urls")),
    path("waitlist/", include("clinic.waitlist.urls")),
    path("billing/", include("clinic.billing.urls")),
    path("api/", include(api_patterns)),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
]

handler404 = "clinic.core.views.not_found"
