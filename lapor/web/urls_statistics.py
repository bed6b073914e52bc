"""Addresses of the public statistics pages (kept apart so they can grow on their own)."""

from django.urls import path

from .views import statistics

urlpatterns = [
    path("", statistics.overview, name="statistics"),
    path("ekspor/<slug:table>.<slug:fmt>", statistics.export, name="statistics_export"),
]
