from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("catat/", views.intake, name="form"),
    path("catat/selesai/", views.intake_done, name="done"),
    path("impor/", views.import_reports, name="import"),
]
