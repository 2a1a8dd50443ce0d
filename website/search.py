"""Site search: PostgreSQL full-text search over everything the public can read.

Partnerships, plans, consultations, news items (and event write-ups) and events are searched in the
English configuration, so "consulting" finds "consultation". Titles count most (weight A), summaries
next (B), bodies least (C). The vectors are columns PostgreSQL generates from each row as it is
written (``common.search``), so they never fall out of step with what editors wrote.

A search costs two queries however much content there is:

1. the page of hits and how many there are in all: a ``UNION ALL`` of one ``SELECT`` per content type
   over its stored, indexed ``search_document`` (common.search), ordered by rank, with ``LIMIT``,
   ``OFFSET`` and a window ``count(*)``;
2. the highlighted snippets for that page only. ``ts_headline`` re-reads the whole text, which makes
   it the slow part of full-text search, so it never runs for hits that are not shown.

The SQL of each is built by the ORM once per process, with stand-ins for what changes (the words,
the time that decides what is published, the ids of the hits shown), which are swapped for the real
values at each search: building those queries cost twice as long as running them.

Snippets come from stored rich text. The tags are removed in SQL, the words that matched are wrapped
in two private-use characters, and ``highlight()`` escapes everything else before turning those
characters into ``<mark>``: no editor's text is ever marked safe as it is.
"""

import datetime
import functools
import html
import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Case, CharField, DateField, Expression, F, Func, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Concat, TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from consultations.models import Consultation
from news.models import Event, NewsItem
from partnerships.models import Partnership, Plan

CONFIG = "english"
PAGE_SIZE = 10
# Longer queries are cut: no one types more, and ts_query work grows with every word.
MAX_QUERY_LENGTH = 200

# Private-use characters: they never appear in what editors write, and the parser leaves them alone.
MARK_START, MARK_END = "\ue000", "\ue001"
MARKED = re.compile(f"{MARK_START}(.*?){MARK_END}", re.DOTALL)
# An HTML tag, including attribute values in quotes that may contain ">".
TAG_PATTERN = r"""<("[^"]*"|'[^']*'|[^'">])*>"""


@dataclass(frozen=True)
class Source:
    """One kind of content: where its public rows come from, and which fields carry its words."""

    kind: str
    public: Callable[[], QuerySet]
    title: str
    summary: str
    body: tuple[str, ...]
    label: Expression
    url: Callable[[dict], str]
    in_partnership: bool = False
    date: Expression | None = None

    @property
    def model(self):
        return self.public().model


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    title: str
    url: str
    partnership_name: str
    date: datetime.date | None
    snippet: SafeString


def _choice_label(field_name: str, choices) -> Case:
    return Case(
        *(When(**{field_name: value}, then=Value(label)) for value, label in choices),
        default=Value(""),
        output_field=CharField(),
    )


SOURCES = [
    Source(
        kind="partnership",
        public=Partnership.objects.public,
        title="name",
        summary="summary",
        body=("about", "vision", "history"),
        label=_choice_label("kind", Partnership.Kind.choices),
        url=lambda row: reverse("website:partnership", kwargs={"partnership_slug": row["hit_slug"]}),
    ),
    Source(
        kind="plan",
        public=Plan.objects.public,
        title="title",
        summary="summary",
        body=("executive_summary", "body"),
        label=Value("Plan"),
        url=lambda row: reverse(
            "website:plan",
            kwargs={"partnership_slug": row["hit_partnership_slug"], "plan_slug": row["hit_slug"]},
        ),
        in_partnership=True,
    ),
    Source(
        kind="consultation",
        public=Consultation.objects.public,
        title="title",
        summary="summary",
        body=("body", "audience"),
        label=Value("Consultation"),
        url=lambda row: reverse(
            "consultations:detail",
            kwargs={"partnership_slug": row["hit_partnership_slug"], "consultation_slug": row["hit_slug"]},
        ),
        in_partnership=True,
    ),
    Source(
        kind="news",
        public=NewsItem.objects.public,
        title="title",
        summary="summary",
        body=("body", "next_steps"),
        label=_choice_label("kind", NewsItem.Kind.choices),
        url=lambda row: reverse("news:item", kwargs={"slug": row["hit_slug"]}),
    ),
    Source(
        kind="event",
        public=Event.objects.public,
        title="title",
        summary="description",
        body=("venue_name", "address"),
        label=Value("Event"),
        url=lambda row: reverse("news:event", kwargs={"slug": row["hit_slug"]}),
        date=TruncDate("starts_at"),
    ),
]
SOURCES_BY_KIND = {source.kind: source for source in SOURCES}
COLUMNS = (
    "hit_kind",
    "hit_id",
    "hit_label",
    "hit_title",
    "hit_slug",
    "hit_partnership_slug",
    "hit_partnership_name",
    "hit_date",
    "hit_rank",
)


def search_query(text: str) -> SearchQuery:
    """What people type, read the way web search engines do: "quoted phrases", or, -excluded."""
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def _hits(source: Source, query: SearchQuery, now: datetime.datetime | None) -> QuerySet:
    partnership = {
        "hit_partnership_slug": F("partnership__slug") if source.in_partnership else Cast(Value(""), CharField()),
        "hit_partnership_name": F("partnership__name") if source.in_partnership else Cast(Value(""), CharField()),
    }
    return (
        source.public(now)
        .filter(search_document=query)
        .annotate(
            hit_kind=Cast(Value(source.kind), CharField()),
            hit_id=F("pk"),
            hit_label=source.label,
            hit_title=F(source.title),
            hit_slug=F("slug"),
            **partnership,
            # Typed, or PostgreSQL reads a UNION of bare NULLs as text and then refuses a date.
            hit_date=source.date if source.date is not None else Cast(Value(None), DateField()),
            hit_rank=SearchRank(F("search_document"), query),
        )
        .order_by()
        .values(*COLUMNS)
    )


def matches(text: str, now: datetime.datetime | None = None) -> QuerySet:
    """Every public hit for ``text`` as rows of ``COLUMNS``, best first: one UNION ALL, not yet run."""
    query = search_query(text)
    first, *rest = (_hits(source, query, now) for source in SOURCES)
    return first.union(*rest, all=True).order_by("-hit_rank", "hit_title", "hit_kind", "hit_id")


def _plain_text(source: Source) -> Func:
    """The summary and body with HTML tags taken out, for ts_headline to choose words from."""
    parts = []
    for field in (source.summary, *source.body):
        parts += [F(field), Value("\n")]
    return Func(
        Concat(*parts, output_field=CharField()),
        Value(TAG_PATTERN),
        Value(" "),
        Value("g"),
        function="regexp_replace",
        output_field=CharField(),
    )


def _snippets_of(kind: str, ids, query: SearchQuery) -> QuerySet:
    """Headlines for these hits of one kind."""
    source = SOURCES_BY_KIND[kind]
    return (
        source.model.objects.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))  # noqa: S611
        .annotate(
            hit_kind=Cast(Value(kind), CharField()),
            hit_id=F("pk"),
            hit_snippet=SearchHeadline(
                _plain_text(source),
                query,
                config=CONFIG,
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=20,
                min_words=10,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by()
        .values("hit_kind", "hit_id", "hit_snippet")
    )


# Stand-ins: the ORM builds each query once with these, and each search swaps in its own values.
TEXT_STAND_IN = "\ue002the words searched for\ue002"
NOW_STAND_IN = datetime.datetime(1970, 1, 2, tzinfo=datetime.UTC)
IDS_STAND_IN = [-1]


@dataclass(frozen=True)
class Prebuilt:
    sql: str
    params: tuple

    @classmethod
    def of(cls, queryset: QuerySet) -> "Prebuilt":
        return cls(*queryset.query.sql_with_params())

    def bind(self, *, text: str, now: datetime.datetime, ids=None) -> list:
        """The parameters, with this search's values in place of the stand-ins."""
        values = []
        for param in self.params:
            if isinstance(param, str) and param == TEXT_STAND_IN:
                param = text
            elif isinstance(param, datetime.datetime) and param == NOW_STAND_IN:
                param = now
            elif isinstance(param, list) and param == IDS_STAND_IN:
                param = ids
            values.append(param)
        return values


@functools.cache
def _prebuilt_hits() -> Prebuilt:
    """Every hit, unordered (the page query orders them)."""
    return Prebuilt.of(matches(TEXT_STAND_IN, NOW_STAND_IN).order_by())


@functools.cache
def _prebuilt_snippets(kind: str) -> Prebuilt:
    return Prebuilt.of(_snippets_of(kind, IDS_STAND_IN, search_query(TEXT_STAND_IN)))


class Hits:
    """Every hit for ``text``, as a Paginator asks for them: the page asked for and the number of hits
    come from one query (a window count), the count alone only when the page asked for is past the end."""

    ORDER = "hit_rank DESC, hit_title, hit_kind, hit_id"

    def __init__(self, text: str, page_number, per_page: int):
        self.text = text
        self.now = timezone.now()
        self.per_page = per_page
        try:
            number = max(int(page_number), 1)
        except (TypeError, ValueError):
            number = 1
        self.first_start = (number - 1) * per_page
        self.fetched: tuple[int, list[dict]] | None = None
        self.total: int | None = None

    def _query(self, sql: str, params: list) -> tuple[list[str], list[tuple]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [column.name for column in cursor.description], cursor.fetchall()

    def _fetch(self, start: int) -> tuple[list[dict], int | None]:
        hits = _prebuilt_hits()
        names, rows = self._query(
            f"SELECT *, count(*) OVER () AS hits_total FROM ({hits.sql}) hits "  # noqa: S608 - built by the ORM
            f"ORDER BY {self.ORDER} LIMIT %s OFFSET %s",
            [*hits.bind(text=self.text, now=self.now), self.per_page, start],
        )
        found = [dict(zip(names, row, strict=True)) for row in rows]
        return found, found[0]["hits_total"] if found else None

    def count(self) -> int:
        if self.total is None:
            rows, total = self._fetch(self.first_start)
            self.fetched = (self.first_start, rows)
            if total is None:  # nothing on the page asked for: it is past the end, or there are no hits
                hits = _prebuilt_hits()
                _, counted = self._query(
                    f"SELECT count(*) FROM ({hits.sql}) hits",  # noqa: S608 - built by the ORM
                    hits.bind(text=self.text, now=self.now),
                )
                total = counted[0][0]
            self.total = total
        return self.total

    def __getitem__(self, window: slice) -> list[dict]:
        if self.fetched is not None and self.fetched[0] == window.start:
            rows = self.fetched[1]
        else:
            rows, _ = self._fetch(window.start)
        return rows[: window.stop - window.start]


def _snippets(rows: list[dict], text: str) -> dict[tuple[str, int], str]:
    """Headlines for these hits only, in one query whatever kinds they are."""
    ids_by_kind: dict[str, list[int]] = {}
    for row in rows:
        ids_by_kind.setdefault(row["hit_kind"], []).append(row["hit_id"])
    if not ids_by_kind:
        return {}
    parts, params = [], []
    for kind, ids in ids_by_kind.items():
        prebuilt = _prebuilt_snippets(kind)
        parts.append(f"({prebuilt.sql})")
        params += prebuilt.bind(text=text, now=timezone.now(), ids=ids)
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        return {(kind, pk): snippet for kind, pk, snippet in cursor.fetchall()}


def highlight(headline: str) -> SafeString:
    """Escape a ts_headline result, then turn its markers (and only those) into <mark> elements.

    The text comes from stored rich text, so entities such as ``&amp;`` are decoded first and every
    character is escaped again: text that looks like a tag is shown as text, never run.
    """
    text = " ".join(html.unescape(headline or "").split())
    out, position = [], 0
    for match in MARKED.finditer(text):
        out.append(escape(_unmarked(text[position : match.start()])))
        out.append(f"<mark>{escape(_unmarked(match.group(1)))}</mark>")
        position = match.end()
    out.append(escape(_unmarked(text[position:])))
    return mark_safe("".join(out).strip())  # noqa: S308 (every piece of text above was escaped)


def _unmarked(text: str) -> str:
    return text.replace(MARK_START, "").replace(MARK_END, "")


def clean_query(text: str | None) -> str:
    return " ".join((text or "").split())[:MAX_QUERY_LENGTH]


def search(text: str, page_number=None, *, per_page: int = PAGE_SIZE) -> Page:
    """A page of hits for ``text``; its ``object_list`` is a list of ``Hit``. Three queries in all."""
    page = Paginator(Hits(text, page_number, per_page), per_page).get_page(page_number)
    rows = list(page.object_list)
    snippets = _snippets(rows, text)
    page.object_list = [
        Hit(
            kind=row["hit_kind"],
            label=row["hit_label"],
            title=row["hit_title"],
            url=SOURCES_BY_KIND[row["hit_kind"]].url(row),
            partnership_name=row["hit_partnership_name"],
            date=row["hit_date"],
            snippet=highlight(snippets.get((row["hit_kind"], row["hit_id"]), "")),
        )
        for row in rows
    ]
    return page
