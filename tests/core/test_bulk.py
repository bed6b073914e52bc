"""Bulk writes and long id lists: the same rows and answers as Django's own paths, on every database."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import timezone

from lapor.core.bulk import insert_many, insert_rows, pk_in
from lapor.notifications.models import Channel, OutboxMessage
from lapor.notifications.templates import render

from ..factories import make_user


def test_insert_rows_fills_what_a_row_leaves_out_with_the_field_defaults(db):
    # given two plain rows that name only some columns
    user = make_user(username="made")
    rows = [
        dict(channel=Channel.SMS, recipient="+6281234567890", body="Halo.", kind="test", user_id=user.pk),
        dict(channel=Channel.EMAIL, recipient="made@contoh.id", body="Halo lagi.", kind="test", state="sent"),
    ]
    # when they are inserted in one go
    assert insert_rows(OutboxMessage, rows) == 2
    # then each row has its own values, the constant defaults, and its own fresh callable default
    sms, email = OutboxMessage.objects.order_by("pk")
    assert (sms.state, sms.attempts, sms.language, sms.last_error, sms.user_id) == ("pending", 0, "id", "", user.pk)
    assert (email.state, email.user_id, email.body) == ("sent", None, "Halo lagi.")
    assert sms.idempotency_key != email.idempotency_key
    assert abs((timezone.now() - sms.created_at).total_seconds()) < 60


def test_insert_rows_of_nothing_writes_nothing(db):
    assert insert_rows(OutboxMessage, []) == 0
    assert not OutboxMessage.objects.exists()


def test_insert_many_gives_instances_their_new_ids(db):
    messages = [OutboxMessage(channel=Channel.SMS, recipient=f"+62812000{n}", body="x", kind="test") for n in range(3)]
    insert_many(messages)
    assert sorted(m.pk for m in messages) == sorted(OutboxMessage.objects.values_list("pk", flat=True))
    assert all(not m._state.adding for m in messages)


def test_pk_in_selects_exactly_the_listed_rows(db):
    users = [make_user(username=f"u{n}") for n in range(5)]
    wanted = [users[1].pk, users[3].pk, 10**12]  # one id that no row has
    from lapor.accounts.models import User

    found = set(User.objects.filter(pk_in(wanted)).values_list("pk", flat=True))
    assert found == {users[1].pk, users[3].pk}
    assert not User.objects.filter(pk_in([])).exists()


def test_an_id_list_on_a_foreign_key_works_too(db):
    user = make_user(username="made")
    other = make_user(username="komang")
    insert_rows(OutboxMessage, [
        dict(channel=Channel.IN_APP, recipient="made", body="a", kind="test", user_id=user.pk),
        dict(channel=Channel.IN_APP, recipient="komang", body="b", kind="test", user_id=other.pk),
    ])
    assert list(OutboxMessage.objects.filter(user_id__any=[user.pk]).values_list("body", flat=True)) == ["a"]


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the array parameter is PostgreSQL's")
def test_on_postgresql_a_long_id_list_is_one_array_parameter(db):
    from lapor.accounts.models import User

    sql, params = User.objects.filter(pk_in(range(5000))).query.sql_with_params()
    assert "= ANY(" in sql and len(params) == 1


def test_a_template_renders_in_each_language_with_its_own_parameters():
    # the translated templates are cached per kind and language; the parameters never are
    sub_id, body_id = render("report.closed_by_system", {"tracking": "LAP-1", "days": 10}, "id")
    sub_en, body_en = render("report.closed_by_system", {"tracking": "LAP-2", "days": 5}, "en")
    assert "LAP-1" in sub_id and "10 hari kerja" in body_id
    assert "LAP-2" in sub_en and "5 working days" in body_en
    assert render("report.closed_by_system", {"tracking": "LAP-3", "days": 1}, "xx")[0] == "Laporan LAP-3 ditutup"
