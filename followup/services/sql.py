"""SQL the statistics need that Django writes slowly on SQLite.

Django computes ``F("ends_at") - F("starts_at")`` and ``TruncMonth`` on SQLite through
Python functions called once per row (django_timestamp_diff, django_datetime_trunc),
which over a year of Höglandet's meetings cost most of the page. ``Seconds`` is the
difference in seconds in the database's own arithmetic: julianday() on SQLite,
EXTRACT(EPOCH …) on PostgreSQL. Months are counted with plain range comparisons on
``starts_at`` (see statistics.month_ranges), which the index serves, in local time."""

from django.db.models import FloatField, Func


class _Elapsed(Func):
    """``end - start`` in each database's own arithmetic (no Python function per row on
    SQLite); the subclasses say what of it they keep."""

    output_field = FloatField()
    arity = 2
    sqlite_template = ""
    postgresql_template = ""

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=self.sqlite_template,
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=self.postgresql_template,
            arg_joiner=" - ",
            **extra,
        )


class Seconds(_Elapsed):
    """``end - start`` in seconds (a float; NULL when either is NULL)."""

    sqlite_template = "((julianday(%(expressions)s)) * 86400.0)"
    postgresql_template = "EXTRACT(EPOCH FROM (%(expressions)s))"


class WholeDays(_Elapsed):
    """Whole days from ``start`` to ``end``: the elapsed 24-hour periods, truncated
    toward zero (a plan fastställd during the meeting is day 0)."""

    sqlite_template = "CAST((julianday(%(expressions)s)) AS INTEGER)"
    postgresql_template = "TRUNC(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)"


def median_of(histogram: dict) -> float | None:
    """The median of values given as {value: count} (counted in SQL), None when empty."""
    ordered = sorted((v, n) for v, n in histogram.items() if v is not None and n)
    total = sum(n for _v, n in ordered)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found, seen = [], 0
    for value, n in ordered:
        while len(found) < 2 and wanted[len(found)] < seen + n:
            found.append(value)
        seen += n
    return (found[0] + found[1]) / 2 if len(found) == 2 else None
