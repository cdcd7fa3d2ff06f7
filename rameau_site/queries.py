"""A lookup whose SQL Django compiles once per process instead of on every request.

Compiling an ORM query (resolving the lookups, the annotations, the deferred fields into
SQL) costs more CPU than running it on the busiest small pages: for the diagnostic's
step page, `get_object_or_404(STEP_RESPONSES, token=...)` took 0.83 ms of CPU, of which
running the SQL and building the instance 0.35 ms (best of 5 x 300, in-process, 100k
bench database). `CompiledLookup` keeps what the ORM wrote, with the looked-up value as
its only parameter, and runs it through `Model.objects.raw()`: same SQL, same columns,
the deferred fields still deferred, the annotations still attributes.

It is not a cache of data: the SQL depends only on the code (a queryset and a field),
so nothing can make it stale while the process runs; a new deployment restarts the
processes. Hence only for a queryset whose other parameters are constants (never
`timezone.now()` or another per-request value), looked up by a unique field, without
`select_related` or `prefetch_related` (which `raw()` would not do): `__init__` refuses
the last three.
"""

from functools import cached_property

from django.db.models import QuerySet

# The looked-up value while compiling: a string no visitor can send (a NUL character).
MARKER = "\x00lookup\x00"


class CompiledLookup:
    """`get(value)`: the one row of `queryset` whose `field` equals `value`, or None."""

    def __init__(self, queryset: QuerySet, field: str):
        if not queryset.model._meta.get_field(field).unique:
            raise ValueError(f"{field!r} is not unique: a lookup gives one row or none")
        if queryset.query.select_related or queryset._prefetch_related_lookups:
            raise ValueError("raw() neither follows select_related nor prefetches")
        self.queryset = queryset
        self.field = field

    @cached_property
    def _compiled(self) -> tuple[str, list, int]:
        query = self.queryset.filter(**{self.field: MARKER}).query
        sql, params = query.sql_with_params()
        positions = [i for i, param in enumerate(params) if param == MARKER]
        if len(positions) != 1:
            raise ValueError(f"the lookup on {self.field!r} must be the query's one marker")
        return sql, list(params), positions[0]

    def get(self, value: str):
        sql, params, position = self._compiled
        params = params.copy()
        params[position] = value
        rows = list(self.queryset.model._default_manager.raw(sql, params))
        return rows[0] if rows else None
