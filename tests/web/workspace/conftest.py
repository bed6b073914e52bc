"""Helpers for the officer workspace tests: URLs, posting an action, reading messages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ...complaints.flow import snapshot


def detail_url(report) -> str:
    return reverse("web:staff_report", args=[report.tracking_id])


def list_url(**params) -> str:
    from urllib.parse import urlencode

    url = reverse("web:staff_reports")
    return f"{url}?{urlencode(params)}" if params else url


def post_action(client, report, action: str, **fields):
    """POST one action form of the report page (fields without the form prefix)."""
    data = {"action": action}
    for name, value in fields.items():
        data[f"{action}-{name}"] = value
    return client.post(detail_url(report), data)


def flash(response) -> list[str]:
    return [str(m) for m in response.wsgi_request._messages] if hasattr(response.wsgi_request, "_messages") else []


@pytest.fixture
def refused(client):
    """`refused(user, report, action, status, expect, **fields)`: the POST is refused and nothing changed."""

    def check(user, report, action, status, expect="", **fields):
        client.force_login(user)
        before = snapshot(report)
        response = post_action(client, report, action, **fields)
        assert response.status_code == status, response.content.decode()[:2000]
        assert snapshot(report) == before
        if expect:
            assert expect in response.content.decode()
        return response

    return check
