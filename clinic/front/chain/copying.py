"""COPY rows into a model's table, every column the caller leaves out filled with its default.

Other changes add fields to these models; taking the defaults from the model keeps the seed
working when they do, as long as the new field has a default (or is nullable).
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.utils import timezone
from psycopg import sql


class Loader:
    """Bulk writes on one PostgreSQL connection, counting what it wrote per table."""

    def __init__(self, connection):
        self.connection = connection
        self.written: dict[str, int] = {}

    def next_ids(self, model: type[models.Model], count: int) -> range:
        """`count` ids above the table's highest, set explicitly so hashes can name the row."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                sql.SQL("SELECT COALESCE(MAX(id), 0) FROM {}").format(sql.Identifier(table))
            )
            highest = cursor.fetchone()[0]
        return range(highest + 1, highest + 1 + count)

    def copy(
        self, model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """COPY `rows` (tuples in the order of `columns`, attnames such as `client_id`)."""
        given = [model._meta.get_field(name) for name in columns]
        rest = [f for f in model._meta.concrete_fields if f not in given]
        defaults = tuple(self._default(field) for field in rest)
        names = sql.SQL(", ").join(sql.Identifier(f.column) for f in [*given, *rest])
        table = model._meta.db_table
        written = 0
        # The underlying psycopg cursor: Django's wrapper has no copy().
        with (
            self.connection.cursor() as cursor,
            cursor.cursor.copy(
                sql.SQL("COPY {} ({}) FROM STDIN").format(sql.Identifier(table), names)
            ) as copy,
        ):
            for row in rows:
                copy.write_row((*row, *defaults))
                written += 1
        self.written[table] = self.written.get(table, 0) + written
        return written

    def reset_sequence(self, model: type[models.Model]) -> None:
        """Point the id sequence past the ids written here, for the rows the app adds later."""
        table = model._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
                    "(SELECT COALESCE(MAX(id), 1) FROM {}))"
                ).format(sql.Identifier(table)),
                [table],
            )

    def _default(self, field: models.Field) -> Any:
        # auto_now fields have no default; the ORM fills them in save(), which COPY skips.
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now()
        value = field.get_default()
        if isinstance(field, models.JSONField):
            return json.dumps(value)
        return field.get_db_prep_save(value, self.connection)


def as_json(value: Any) -> str:
    """A JSON column's value as COPY's text format takes it."""
    return json.dumps(value, separators=(",", ":"))
