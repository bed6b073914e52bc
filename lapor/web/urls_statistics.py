"""Addresses of the public statistics pages (kept apart so they can grow on their own)."""

urlpatterns: list = []
