"""Addresses of the monitoring and evaluation pages for staff."""

from django.urls import path

from .views import monitoring

urlpatterns = [
    path("", monitoring.dashboard, name="monitoring"),
    path("evaluasi/", monitoring.evaluation, name="monitoring_evaluation"),
    path("evaluasi/ekspor/<str:table>.<str:fmt>", monitoring.evaluation_export, name="monitoring_evaluation_export"),
    path("evaluasi.pdf", monitoring.evaluation_pdf, name="monitoring_evaluation_pdf"),
    path("ekspor/<str:page>/<str:table>.<str:fmt>", monitoring.page_export, name="monitoring_export"),
    path("ruang/", monitoring.room, name="monitoring_room"),
    path("tren/", monitoring.trends, name="monitoring_trends"),
]
