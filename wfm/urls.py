"""Top-level URLs: admin, the versioned API, its OpenAPI schema and docs (no CDN), and the
web pages for managers, operators and payroll (web/)."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from timeclock.views import kiosk

urlpatterns = [
    path("admin/", admin.site.urls),
    path("kiosk/", kiosk, name="kiosk"),
    path("api/v1/", include("wfm.api.urls", namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("api-auth/", include("rest_framework.urls", namespace="rest_framework")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("web.urls", namespace="web")),
]

handler400 = "organisation.api.errors.json_bad_request"
handler404 = "organisation.api.errors.json_not_found"
handler500 = "organisation.api.errors.json_server_error"
