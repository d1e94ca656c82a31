"""Lists on console pages: search, filters, sort and pagination from the page's query string.

A duty's page builds its rows as it did, then hands them to :func:`list_view` with the columns and
filters of the list; the page renders the result with the macros of ``core/_listing.html``
(``list_controls``, ``sort_header``, ``pager``). Everything is in the URL (``?q=…&status=served&
sort=-due_on&page=2``), so a list can be bookmarked, printed and opened again after a Back button.
A district's lists hold hundreds of rows, not millions: they are narrowed in memory, after the
access checks the duty's own query applies. Several lists on one page take a ``prefix``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

PER_PAGE = 20
MAX_QUERY = 100


@dataclass(frozen=True)
class ListColumn:
    """A column that can be sorted by (and searched in)."""

    key: str  #: the row's key
    label: str  #: the heading, Chinese
    searchable: bool = False


@dataclass(frozen=True)
class ListFilter:
    """A choice narrowing the list to rows whose ``key`` equals the chosen value."""

    key: str
    label: str  #: Chinese
    options: tuple[tuple[str, str], ...]  #: (value, what people read)


@dataclass
class Listing:
    rows: list[Any]  #: this page's rows
    total: int  #: rows before search and filters
    matched: int  #: rows after them
    page: int
    pages: int
    per_page: int
    query: str
    sort: str  #: the column key
    descending: bool
    chosen: dict[str, str]  #: filter key -> value
    columns: tuple[ListColumn, ...]
    filters: tuple[ListFilter, ...]
    prefix: str = ""
    extra: dict[str, str] = field(default_factory=dict)  #: other query parameters to keep

    def param(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def url(self, **changes: Any) -> str:
        """The query string of this list with ``changes`` (``page=2``, ``sort="-due_on"``)."""
        state: dict[str, Any] = {
            "q": self.query,
            "sort": ("-" if self.descending else "") + self.sort,
            "page": self.page,
            **self.chosen,
        }
        state.update(changes)
        params = dict(self.extra)
        for key, value in state.items():
            if value not in ("", None) and not (key == "page" and int(value) == 1):
                params[self.param(key)] = str(value)
        return "?" + urlencode(params) if params else "?"

    def sort_url(self, key: str) -> str:
        """Sorting by ``key``: ascending first, then the other way round on a second click."""
        descending = not self.descending if key == self.sort else False
        return self.url(sort=("-" if descending else "") + key, page=1)

    def sort_mark(self, key: str) -> str:
        if key != self.sort:
            return ""
        return "▼" if self.descending else "▲"

    def sort_state(self, key: str) -> str:
        """``aria-sort`` of a heading."""
        if key != self.sort:
            return "none"
        return "descending" if self.descending else "ascending"

    @property
    def summary(self) -> str:
        if not self.matched:
            return f"共 {self.total} 条，没有符合条件的记录" if self.total else "暂无记录"
        first = (self.page - 1) * self.per_page + 1
        last = first + len(self.rows) - 1
        narrowed = (
            f"（共 {self.total} 条中符合条件的 {self.matched} 条）" if self.matched != self.total else ""
        )
        return f"第 {first}–{last} 条，共 {self.matched} 条{narrowed}"

    @property
    def clear_url(self) -> str:
        """The list without search and filters (its sort kept)."""
        return self.url(q="", page=1, **dict.fromkeys(self.chosen, ""))

    @property
    def narrowed(self) -> bool:
        return bool(self.query or any(self.chosen.values()))


def _sort_key(value: Any) -> tuple[int, Any]:
    if value is None or value == "":
        return (1, "")
    if isinstance(value, int | float):
        return (0, (0, value, ""))
    return (0, (1, 0, str(value)))


def list_view(
    rows: Sequence[Any],
    params: Mapping[str, str],
    *,
    columns: Sequence[ListColumn],
    filters: Sequence[ListFilter] = (),
    default_sort: str,
    per_page: int = PER_PAGE,
    prefix: str = "",
    keep: Sequence[str] = (),
) -> Listing:
    """``rows`` (mappings) searched, filtered, sorted and cut to the requested page.

    ``params`` is the request's query; unknown sort keys, filter values and page numbers fall back
    to the defaults rather than failing (a stale bookmark still opens the list). ``keep`` names
    other query parameters the list's links carry along (another list's state on the same page).
    """
    columns = tuple(columns)
    filters = tuple(filters)

    def get(name: str) -> str:
        return str(params.get(prefix + name) or "").strip()

    query = get("q")[:MAX_QUERY]
    sort_param = get("sort") or default_sort
    descending = sort_param.startswith("-")
    sort = sort_param.lstrip("-")
    keys = {c.key for c in columns}
    if sort not in keys:
        descending = default_sort.startswith("-")
        sort = default_sort.lstrip("-")
    chosen = {}
    for f in filters:
        value = get(f.key)
        chosen[f.key] = value if value in {v for v, _ in f.options} else ""
    searched = [c.key for c in columns if c.searchable]
    needle = query.casefold()
    matched = [
        r
        for r in rows
        if (not needle or any(needle in str(r.get(k) or "").casefold() for k in searched))
        and all(not v or str(r.get(k) or "") == v for k, v in chosen.items())
    ]
    present = [r for r in matched if r.get(sort) not in (None, "")]
    absent = [r for r in matched if r.get(sort) in (None, "")]
    ordered = sorted(present, key=lambda r: _sort_key(r.get(sort)), reverse=descending) + absent
    pages = max(1, -(-len(ordered) // per_page))
    page_text = get("page")
    page = int(page_text) if page_text.isdigit() else 1
    page = min(max(page, 1), pages)
    start = (page - 1) * per_page
    return Listing(
        rows=ordered[start : start + per_page],
        total=len(rows),
        matched=len(matched),
        page=page,
        pages=pages,
        per_page=per_page,
        query=query,
        sort=sort,
        descending=descending,
        chosen=chosen,
        columns=columns,
        filters=filters,
        prefix=prefix,
        extra={k: str(params[k]) for k in keep if params.get(k)},
    )
