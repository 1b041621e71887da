"""Pagination of long lists whose rows are wide (the directory: 40,000 companies with their search text).

``Paginator`` asks for ``OFFSET n LIMIT 20`` of the whole rows: the database reads and throws away the n
rows before the page, each a full row from the table (page 1,500 of the directory read 30,000 companies,
8,000 pages of the table, 120 ms on PostgreSQL). ``DeferredJoinPaginator`` first reads only the primary
keys of the page (an index-only scan when an index holds the filter and the order, as
``company_directory_order`` does for the directory), then the page's rows by key: two short queries
instead of one long one, whatever the page number. Prefetches and ``select_related`` apply to the
second query only. The first pages (before ``defer_from`` rows) keep the single query: skipping a few
hundred rows costs less than a second round trip to the database.

``Queue`` is for the desks' work queues, which show their first rows and say how many wait."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet, Window


class DeferredJoinPaginator(Paginator):
    def __init__(self, object_list, per_page, *, defer_from: int = 200, **options) -> None:
        super().__init__(object_list, per_page, **options)
        self.defer_from = defer_from

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if bottom < self.defer_from:
            return super().page(number)
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(
            self.object_list.select_related(None)
            .prefetch_related(None)
            .values_list("pk", flat=True)[bottom:top]
        )
        rows = {row.pk: row for row in self.object_list.order_by().filter(pk__in=keys)} if keys else {}
        # A row deleted between the two queries is left out rather than failing the page.
        return self._get_page([rows[key] for key in keys if key in rows], number, self)


class Queue(list):
    """The first ``limit`` rows of a work queue (its oldest or most urgent, as ordered), a list, and
    ``total``, how many wait in all, so that a desk can say "the first 100 of 137" instead of stopping
    without a word. One query: the total is a window count over the same rows (``COUNT(*) OVER ()``),
    computed before the limit."""

    def __init__(self, rows=(), total: int = 0) -> None:
        super().__init__(rows)
        self.total = total

    @classmethod
    def of(cls, queryset: QuerySet, limit: int) -> Queue:
        rows = list(queryset.annotate(queue_total=Window(Count("pk")))[:limit])
        return cls(rows, rows[0].queue_total if rows else 0)

    @property
    def cut(self) -> bool:
        """Whether some rows of the queue are not shown."""
        return self.total > len(self)
