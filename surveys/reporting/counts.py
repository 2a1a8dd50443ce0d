"""Every figure a dashboard needs, as counts per key, channel and day, from one SQL statement.

The same statement serves three ways, so they can never disagree:

- ``change_counts`` adds (or subtracts) a set of accepted responses to the stored ``DashboardCount``
  rows, in the transaction that accepts (or erases) them. A dashboard with no filter, or filtered by
  channel and dates only, sums those rows: it costs the same at 1,000 and 1,000,000 responses;
- ``count_keys`` counts a set of responses on the fly, for views filtered by answers;
- ``recount`` rebuilds a survey's stored counts from its answers (``manage.py recount_dashboards``).

Each count comes with the sum of the response ids it covers: disclosure control rounds by it. The
figures of each channel and each day are the ``total`` rows' (``channel:<channel>``, ``day:<date>``).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone
from psycopg.errors import QueryCanceled

from surveys.kinds import KINDS
from surveys.models import Choice, DashboardCount, Question, Response, Survey
from surveys.reporting.disclosure import Count

# Every figure's count, as (survey, kind, a, b, channel, day, count, sum of response ids) rows
# aggregated in SQL on integers. {ids} is a query giving the response ids to count; their answers are
# read once (the "answers" CTE), however many figures there are. The key of a row is kind:a:b.
KEYS = """
WITH counted AS MATERIALIZED (
    SELECT r.id, r.survey_id, r.channel, (r.submitted_at AT TIME ZONE %(tz)s)::date AS day
    FROM surveys_response r JOIN ({ids}) x ON x.id = r.id
),
answers AS MATERIALIZED (
    -- A plain join, so the planner picks: the (response, question) index, which holds the choice and
    -- the number, for a few responses; one pass over the answers for many.
    SELECT c.survey_id, {answer_dims} a.response_id, a.question_id, a.choice_id, a.number
    FROM counted c JOIN surveys_answer a ON a.response_id = c.id
)
SELECT survey_id, 'total' AS kind, NULL AS a, NULL AS b, channel, day, count(*) AS n, sum(id) AS ids
FROM counted GROUP BY survey_id, channel, day
UNION ALL
SELECT survey_id, 'choice', question_id::text, coalesce(choice_id::text, '-'), {dims}, count(*), sum(response_id)
FROM answers GROUP BY survey_id, question_id, choice_id {group_dims}
UNION ALL
SELECT survey_id, 'answered', question_id::text, NULL, {dims}, count(*), sum(response_id)
FROM (
    SELECT DISTINCT survey_id, question_id, response_id {group_dims} FROM answers WHERE question_id = ANY(%(many)s)
) answered
GROUP BY survey_id, question_id {group_dims}
UNION ALL
SELECT survey_id, 'section', section_id::text, NULL, {dims}, count(*), sum(response_id)
FROM (
    SELECT DISTINCT a.survey_id, q.section_id, a.response_id {group_dims}
    FROM answers a JOIN surveys_question q ON q.id = a.question_id
) completed GROUP BY survey_id, section_id {group_dims}
UNION ALL
SELECT survey_id, 'number', question_id::text, number::text, {dims}, count(*), sum(response_id)
FROM answers WHERE number IS NOT NULL GROUP BY survey_id, question_id, number {group_dims}
UNION ALL
-- "Other, please specify" answers with something written: only these rows' text is read.
SELECT c.survey_id, 'other', a.question_id::text, NULL, {other_dims}, count(*), sum(a.response_id)
FROM counted c JOIN surveys_answer a ON a.response_id = c.id
WHERE a.choice_id = ANY(%(others)s) AND a.text <> ''
GROUP BY c.survey_id, a.question_id {other_group_dims}
"""
# Stored counts are kept by channel and day; counts worked out on the fly need that only for the
# totals (responses by channel and per day), and are far cheaper without it.
BY_CHANNEL_AND_DAY = {
    "answer_dims": "c.channel, c.day,",
    "dims": "channel, day",
    "group_dims": ", channel, day",
    "other_dims": "c.channel, c.day",
    "other_group_dims": ", c.channel, c.day",
}
TOTALS_ONLY = {
    "answer_dims": "",
    "dims": "NULL::varchar, NULL::date",
    "group_dims": "",
    "other_dims": "NULL::varchar, NULL::date",
    "other_group_dims": "",
}
KEY_SQL = "k.kind || coalesce(':' || k.a, '') || coalesce(':' || k.b, '')"


def _key(kind: str, a, b) -> str:
    return ":".join(part for part in (kind, a, b) if part is not None)


def _keys_sql(ids_sql: str, ids_params, dimensions: dict = BY_CHANNEL_AND_DAY) -> tuple[str, dict]:
    """KEYS over the responses of ``ids_sql`` (whose parameters are positional ``%s``), named parameters only."""
    names = {f"p{index}": value for index, value in enumerate(ids_params)}
    named_ids = ids_sql
    for name in names:
        named_ids = named_ids.replace("%s", f"%({name})s", 1)
    return KEYS.format(ids=named_ids, **dimensions), {
        **names,
        "tz": timezone.get_default_timezone_name(),
        "many": _many_answers(),
        "others": list(Choice.objects.filter(is_other=True).values_list("pk", flat=True)),
    }


def _many_answers() -> list[int]:
    """Questions answered with several rows (multiple choice): only theirs need counting apart.
    Every other question has one answer row per response, so its choice rows add up to its answers."""
    many = [kind for kind, behaviour in KINDS.items() if behaviour.many_answers]
    return list(Question.objects.filter(kind__in=many).values_list("pk", flat=True))


@dataclass(frozen=True)
class Slice:
    """Which stored counts a view adds up: every channel and day, or only some."""

    channels: tuple[str, ...] = ()
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    def rows(self, survey: Survey):
        rows = survey.counts.all()
        if self.channels:
            rows = rows.filter(channel__in=self.channels)
        if self.date_from:
            rows = rows.filter(day__gte=self.date_from)
        if self.date_to:
            rows = rows.filter(day__lte=self.date_to)
        return rows


def _with_channels_and_days(counts: dict[str, Count], totals) -> dict[str, Count]:
    """Add the ``channel:`` and ``day:`` figures, from the ``total`` rows by channel and day."""
    for channel, day, n, ids in totals:
        counts[f"channel:{channel}"] = counts.get(f"channel:{channel}", Count()) + Count(n, int(ids))
        counts[f"day:{day.isoformat()}"] = counts.get(f"day:{day.isoformat()}", Count()) + Count(n, int(ids))
    return {key: count for key, count in counts.items() if count.n}


class CountingTooSlow(Exception):
    """Counting these responses on the fly would take longer than a page should."""


def count_keys(ids_sql: str, ids_params=(), *, seconds: int | None = None) -> dict[str, Count]:
    """Every figure's count for the responses ``ids_sql`` selects (a query returning a column ``id``).

    With ``seconds``, PostgreSQL stops counting after that long and ``CountingTooSlow`` is raised.
    """
    sql, params = _keys_sql(ids_sql, ids_params, TOTALS_ONLY)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if seconds:
                cursor.execute("SET LOCAL statement_timeout = %s", [f"{int(seconds)}s"])
            cursor.execute(f"SELECT kind, a, b, channel, day, n, ids FROM ({sql}) k", params)  # noqa: S608
            rows = cursor.fetchall()
            if seconds:
                cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
    except OperationalError as error:
        if isinstance(error.__cause__, QueryCanceled):
            raise CountingTooSlow from error
        raise
    counts: dict[str, Count] = defaultdict(Count)
    for kind, a, b, _, _, n, ids in rows:
        counts[_key(kind, a, b)] += Count(n, int(ids))
    totals = [(channel, day, n, ids) for kind, _, _, channel, day, n, ids in rows if kind == "total"]
    return _with_channels_and_days(dict(counts), totals)


def stored_counts(survey: Survey, part: Slice = Slice()) -> dict[str, Count]:
    """The stored counts of ``survey``'s accepted responses, in the channels and days of ``part``."""
    rows = part.rows(survey)
    counts = {
        key: Count(n, ids)
        for key, n, ids in rows.values("key").annotate(n=Sum("n"), ids=Sum("ids")).values_list("key", "n", "ids")
    }
    totals = rows.filter(key="total").values_list("channel", "day", "n", "ids")
    return _with_channels_and_days(counts, totals)


def change_counts(ids_sql: str, ids_params=(), *, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the accepted responses ``ids_sql`` selects from the stored counts.

    Rows are written in key order, so two transactions changing counts at once never deadlock.
    """
    sql, params = _keys_sql(ids_sql, ids_params)
    table = DashboardCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS c (survey_id, key, channel, day, n, ids)
            SELECT survey_id, {KEY_SQL} AS key, channel, day, %(sign)s * n, %(sign)s * ids FROM ({sql}) k
            ORDER BY survey_id, key, channel, day
            ON CONFLICT (survey_id, key, channel, day)
            DO UPDATE SET n = c.n + EXCLUDED.n, ids = c.ids + EXCLUDED.ids
            """,  # noqa: S608 - our own table and SQL
            {**params, "sign": sign},
        )


def _accepted_ids(queryset) -> tuple[str, tuple] | None:
    try:
        return queryset.filter(status=Response.Status.ACCEPTED).order_by().values("id").query.sql_with_params()
    except EmptyResultSet:  # an empty id list, say: nothing to count
        return None


def add_responses(queryset) -> None:
    """The accepted responses among ``queryset`` now count."""
    if (accepted := _accepted_ids(queryset)) is not None:
        change_counts(*accepted, sign=1)


def remove_responses(queryset) -> None:
    """The accepted responses among ``queryset`` no longer count (call before they are erased)."""
    if (accepted := _accepted_ids(queryset)) is not None:
        change_counts(*accepted, sign=-1)


def answered(counts: dict[str, Count]) -> dict[int, Count]:
    """How many responses answered each question, from a survey's counts."""
    totals: dict[int, Count] = defaultdict(Count)
    for key, count in counts.items():
        if key.startswith("choice:"):
            totals[int(key.split(":")[1])] += count
    for key, count in counts.items():
        if key.startswith("answered:"):
            totals[int(key.split(":")[1])] = count  # several rows per response: counted apart
    return totals


def subtract(whole: dict[str, Count], part: dict[str, Count]) -> dict[str, Count]:
    """The counts of ``whole`` less those of ``part`` (a subset of its responses): counts add up exactly."""
    keys = set(whole) | set(part)
    result = {key: whole.get(key, Count()) - part.get(key, Count()) for key in keys}
    return {key: count for key, count in result.items() if count.n}


@transaction.atomic
def recount(survey: Survey) -> bool:
    """Rebuild ``survey``'s stored counts from its answers. Returns whether they had drifted."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # no change of responses meanwhile
    before = list(survey.counts.filter(n__gt=0).order_by("key", "channel", "day").values_list(
        "key", "channel", "day", "n", "ids"
    ))  # fmt: skip
    survey.counts.all().delete()
    add_responses(Response.objects.filter(survey=survey))
    after = list(survey.counts.filter(n__gt=0).order_by("key", "channel", "day").values_list(
        "key", "channel", "day", "n", "ids"
    ))  # fmt: skip
    return after != before
