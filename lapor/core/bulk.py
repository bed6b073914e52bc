"""Writing many new rows at once: COPY on PostgreSQL, `bulk_create` elsewhere.

The sweep writes tens of thousands of events and messages in one pass. Django's `bulk_create`
spends most of that time preparing each value in Python; PostgreSQL's COPY takes the rows as
they are and is also the fastest way into the table. The primary keys are drawn from the
table's sequence first, so the objects come back with their ids, as with `bulk_create`.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_many(objs: Sequence[models.Model], *, batch_size: int = 1000) -> Sequence[models.Model]:
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=batch_size)
    _copy(model, objs)
    return objs


def _copy(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    from psycopg.types.json import Jsonb

    meta = model._meta
    pk = meta.pk
    generated = pk.db_returning  # an auto-increment key, drawn from the sequence first
    fields = [f for f in meta.concrete_fields if not (generated and f is pk)]
    # Values the database takes as Python gives them; JSON needs its wrapper.
    is_json = [isinstance(f, models.JSONField) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in ([pk] if generated else []) + fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        ids: list = [None] * len(objs)
        if generated:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, len(objs)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj, new_id in zip(objs, ids):
                row = [new_id] if generated else []
                for field, json in zip(fields, is_json):
                    value = getattr(obj, field.attname)
                    row.append(Jsonb(value) if json and value is not None else value)
                copy.write_row(row)
    for obj, new_id in zip(objs, ids):
        if generated:
            obj.pk = new_id
        obj._state.adding = False
        obj._state.db = connection.alias
