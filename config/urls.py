from django.contrib import admin
from django.urls import include, path

from lapor.api.v1 import api
from lapor.channels.open311.api import api as open311_api

admin.site.site_header = "lapor — administrasi"
admin.site.site_title = "lapor"

# Uploads are never served as static media: `web:attachment` checks who may see each file.
urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/", open311_api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("petugas/", include("lapor.channels.intake.urls")),
    path("", include("lapor.web.urls")),
]
