"""The storage settings the sweep's speed depends on are really in the database."""

import pytest
from django.db import connection

from lapor.complaints.models import Report

pytestmark = pytest.mark.django_db


def _report_indexes() -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, Report._meta.db_table)


def test_held_reports_have_their_own_small_index():
    indexes = _report_indexes()
    assert "report_on_hold_since" in indexes
    assert indexes["report_on_hold_since"]["columns"] == ["held_at"]


def test_the_held_index_covers_only_held_reports():
    if connection.vendor == "sqlite":
        statement = "SELECT sql FROM sqlite_master WHERE name = 'report_on_hold_since'"
    else:
        statement = "SELECT indexdef FROM pg_indexes WHERE indexname = 'report_on_hold_since'"
    with connection.cursor() as cursor:
        cursor.execute(statement)
        (definition,) = cursor.fetchone()
    assert "WHERE" in definition and "'on_hold'" in definition


@pytest.mark.postgres
def test_report_pages_keep_room_for_updates_in_place():
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = %s", [Report._meta.db_table])
        (options,) = cursor.fetchone()
    assert "fillfactor=85" in (options or [])
