"""Top-level URLs: admin, the versioned API, its OpenAPI schema and docs (no CDN)."""

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
]

handler400 = "wfm.errors.json_bad_request"
handler404 = "wfm.errors.json_not_found"
handler500 = "wfm.errors.json_server_error"
