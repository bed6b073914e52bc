from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("masuk/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("petugas/laporan/", views.staff_reports, name="staff_reports"),
    path("laporan/<str:tracking_id>/", views.report_public, name="report_public"),
]
