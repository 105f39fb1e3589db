"""SQL the statistics need that Django writes slowly on SQLite.

Django computes ``F("ends_at") - F("starts_at")`` and ``TruncMonth`` on SQLite through
Python functions called once per row (django_timestamp_diff, django_datetime_trunc),
which over a year of Höglandet's meetings cost most of the page. ``Seconds`` is the
difference in seconds in the database's own arithmetic: julianday() on SQLite,
EXTRACT(EPOCH …) on PostgreSQL. Months are counted with plain range comparisons on
``starts_at`` (see statistics.month_ranges), which the index serves, in local time."""

from django.db.models import FloatField, Func


class Seconds(Func):
    """``end - start`` in seconds (a float; NULL when either is NULL)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="EXTRACT(EPOCH FROM (%(expressions)s))",
            arg_joiner=" - ",
            **extra,
        )


class WholeDays(Func):
    """Whole days from ``start`` to ``end``: the elapsed 24-hour periods, truncated
    toward zero (a plan fastställd during the meeting is day 0)."""

    output_field = FloatField()
    arity = 2

    def __init__(self, end, start, **extra):
        super().__init__(end, start, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST((julianday(%(expressions)s)) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="TRUNC(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )


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
