"""Writing many new rows at once: COPY on PostgreSQL, `bulk_create` elsewhere.

The sweep writes tens of thousands of events and messages in one pass. Django's `bulk_create`
spends most of that time preparing each value in Python; PostgreSQL's COPY takes the rows as
they are and is also the fastest way into the table. The primary keys are drawn from the
table's sequence first, so the objects come back with their ids, as with `bulk_create`.

`insert_rows` takes plain dicts (column values by attribute name): building a model instance
costs more than writing its row, so the hot paths build none.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.db.models.lookups import In


class Row:
    """A row's columns as attributes, from a `values()` dict: the hot paths read tens of
    thousands of rows, and building a model instance for each costs more than the query."""

    def __init__(self, values: dict) -> None:
        self.__dict__.update(values)

    @property
    def pk(self):
        return self.id


def insert_many(objs: Sequence[models.Model], *, batch_size: int = 1000) -> Sequence[models.Model]:
    if not objs:
        return objs
    model = type(objs[0])
    if connection.vendor != "postgresql":
        return model.objects.bulk_create(objs, batch_size=batch_size)
    fields = _fields(model)
    ids = _copy(model, fields, ([getattr(obj, f.attname) for f in fields] for obj in objs), len(objs))
    for obj, new_id in zip(objs, ids):
        if new_id is not None:
            obj.pk = new_id
        obj._state.adding = False
        obj._state.db = connection.alias
    return objs


def insert_rows(model: type[models.Model], rows: Sequence[dict], *, batch_size: int = 1000, returning: bool = False):
    """Insert dicts of attribute values; a column a row leaves out takes the field's default.

    Returns how many rows were written, or with `returning` their new primary keys in order.
    """
    if not rows:
        return [] if returning else 0
    if connection.vendor != "postgresql":
        objs = model.objects.bulk_create([model(**row) for row in rows], batch_size=batch_size)
        return [obj.pk for obj in objs] if returning else len(rows)
    fields = _fields(model)
    constant, per_row = {}, {}
    for f in fields:
        if f.default is not NOT_PROVIDED and callable(f.default):
            per_row[f.attname] = f.default  # uuid4, timezone.now: a fresh value for every row
        else:
            constant[f.attname] = f.get_default()  # "" for a text column without a default
    names = [f.attname for f in fields]

    def values(row: dict) -> list:
        full = constant | {name: make() for name, make in per_row.items() if name not in row} | row
        return [full[name] for name in names]

    ids = _copy(model, fields, map(values, rows), len(rows))
    return ids if returning else len(rows)


def _fields(model: type[models.Model]) -> list[models.Field]:
    pk = model._meta.pk
    # An auto-increment key is drawn from the sequence, not given.
    return [f for f in model._meta.concrete_fields if not (pk.db_returning and f is pk)]


def _copy(model: type[models.Model], fields: list[models.Field], rows, count: int) -> list:
    import json

    from psycopg.types.json import Jsonb

    meta = model._meta
    pk = meta.pk
    generated = pk.db_returning
    json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in ([pk] if generated else []) + fields)
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        ids: list = [None] * count
        if generated:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, pk.column, count],
            )
            ids = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for new_id, row in zip(ids, rows):
                for i in json_at:
                    value = row[i]
                    if isinstance(value, (list, dict)):
                        row[i] = json.dumps(value)  # as JSON text: the column parses it
                    elif value is not None:
                        row[i] = Jsonb(value)
                copy.write_row([new_id, *row] if generated else row)
    return ids


class AnyOf(models.Lookup):
    """`column__any=[…]`: `column = ANY(%s)` with one array parameter on PostgreSQL, where
    `IN (%s, %s, …)` makes the driver split and quote thousands of placeholders; `IN` elsewhere."""

    lookup_name = "any"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", [*lhs_params, *rhs_params]


models.Field.register_lookup(AnyOf)
models.ForeignObject.register_lookup(AnyOf)


def pk_in(ids) -> models.Q:
    return models.Q(pk__any=list(ids))
