"""Addresses of the monitoring and evaluation pages for staff."""

urlpatterns: list = []
