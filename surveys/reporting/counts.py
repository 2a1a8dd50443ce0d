"""Every figure a dashboard needs, as counts per key, from one SQL statement over a set of responses.

The same statement serves three ways, so they can never disagree:

- ``change_counts`` adds (or subtracts) a set of accepted responses to the stored ``DashboardCount``
  rows, in the transaction that accepts (or erases) them: the unfiltered dashboard reads those rows,
  and costs the same at 1,000 and 1,000,000 responses;
- ``count_keys`` counts a filtered set on the fly, for filtered views;
- ``recount`` rebuilds a survey's stored counts from its answers (``manage.py recount_dashboards``).

Each count comes with the sum of the response ids it covers: disclosure control rounds by it.
"""

from collections import defaultdict

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.utils import timezone

from surveys.kinds import KINDS
from surveys.models import DashboardCount, Question, Response, Survey
from surveys.reporting.disclosure import Count

# Every figure's count, as (survey, kind, a, b, count, sum of response ids) rows aggregated in SQL on
# integers. {ids} is a query giving the response ids to count; their answers are read once (the
# "answers" CTE), however many figures there are. The key of a row is kind:a:b (see DashboardCount).
KEYS = """
WITH counted AS MATERIALIZED (
    SELECT r.id, r.survey_id, r.channel, r.submitted_at FROM surveys_response r JOIN ({ids}) x ON x.id = r.id
),
answers AS MATERIALIZED (
    -- Each counted response's answers through the (response, question) index: the work follows the
    -- number of responses counted, not the size of the answer table.
    SELECT c.survey_id, a.response_id, a.question_id, a.choice_id, a.number, a.text <> '' AS wrote
    FROM counted c CROSS JOIN LATERAL (SELECT * FROM surveys_answer WHERE response_id = c.id) a
)
SELECT survey_id, 'total' AS kind, NULL AS a, NULL AS b, count(*) AS n, sum(id) AS ids FROM counted GROUP BY survey_id
UNION ALL
SELECT survey_id, 'channel', channel, NULL, count(*), sum(id) FROM counted GROUP BY survey_id, channel
UNION ALL
SELECT survey_id, 'day', to_char(submitted_at AT TIME ZONE %(tz)s, 'YYYY-MM-DD'), NULL, count(*), sum(id)
FROM counted GROUP BY 1, 3
UNION ALL
SELECT survey_id, 'choice', question_id::text, coalesce(choice_id::text, '-'), count(*), sum(response_id)
FROM answers GROUP BY survey_id, question_id, choice_id
UNION ALL
SELECT survey_id, 'answered', question_id::text, NULL, count(*), sum(response_id)
FROM (SELECT DISTINCT survey_id, question_id, response_id FROM answers WHERE question_id = ANY(%(many)s)) answered
GROUP BY survey_id, question_id
UNION ALL
SELECT survey_id, 'section', section_id::text, NULL, count(*), sum(response_id)
FROM (
    SELECT DISTINCT a.survey_id, q.section_id, a.response_id
    FROM answers a JOIN surveys_question q ON q.id = a.question_id
) completed GROUP BY survey_id, section_id
UNION ALL
SELECT survey_id, 'number', question_id::text, number::text, count(*), sum(response_id)
FROM answers WHERE number IS NOT NULL GROUP BY survey_id, question_id, number
UNION ALL
SELECT a.survey_id, 'other', a.question_id::text, NULL, count(*), sum(a.response_id)
FROM answers a JOIN surveys_choice c ON c.id = a.choice_id WHERE c.is_other AND a.wrote
GROUP BY a.survey_id, a.question_id
"""
KEY_SQL = "k.kind || coalesce(':' || k.a, '') || coalesce(':' || k.b, '')"


def _key(kind: str, a, b) -> str:
    return ":".join(part for part in (kind, a, b) if part is not None)


def _keys_sql(ids_sql: str, ids_params) -> tuple[str, dict]:
    """KEYS over the responses of ``ids_sql`` (whose parameters are positional ``%s``), named parameters only."""
    names = {f"p{index}": value for index, value in enumerate(ids_params)}
    named_ids = ids_sql
    for name in names:
        named_ids = named_ids.replace("%s", f"%({name})s", 1)
    return KEYS.format(ids=named_ids), {**names, "tz": timezone.get_default_timezone_name(), "many": _many_answers()}


def _many_answers() -> list[int]:
    """Questions answered with several rows (multiple choice): only theirs need counting apart.
    Every other question has one answer row per response, so its choice rows add up to its answers."""
    many = [kind for kind, behaviour in KINDS.items() if behaviour.many_answers]
    return list(Question.objects.filter(kind__in=many).values_list("pk", flat=True))


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


def count_keys(ids_sql: str, ids_params=()) -> dict[str, Count]:
    """Every figure's count for the responses ``ids_sql`` selects (a query returning a column ``id``)."""
    sql, params = _keys_sql(ids_sql, ids_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, a, b, n, ids FROM ({sql}) k", params)  # noqa: S608
        return {_key(kind, a, b): Count(n, int(ids)) for kind, a, b, n, ids in cursor.fetchall()}


def change_counts(ids_sql: str, ids_params=(), *, sign: int) -> None:
    """Add (sign 1) or take away (sign -1) the accepted responses ``ids_sql`` selects from the stored counts.

    Rows are written in key order, so two transactions changing counts at once never deadlock.
    """
    sql, params = _keys_sql(ids_sql, ids_params)
    table = DashboardCount._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {table} AS c (survey_id, key, n, ids)
            SELECT survey_id, {KEY_SQL} AS key, %(sign)s * n, %(sign)s * ids FROM ({sql}) k
            ORDER BY survey_id, key
            ON CONFLICT (survey_id, key) DO UPDATE SET n = c.n + EXCLUDED.n, ids = c.ids + EXCLUDED.ids
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


def stored_counts(survey: Survey) -> dict[str, Count]:
    return {key: Count(n, ids) for key, n, ids in survey.counts.filter(n__gt=0).values_list("key", "n", "ids")}


@transaction.atomic
def recount(survey: Survey) -> bool:
    """Rebuild ``survey``'s stored counts from its answers. Returns whether they had drifted."""
    Survey.objects.select_for_update().filter(pk=survey.pk).first()  # no change of responses meanwhile
    before = stored_counts(survey)
    survey.counts.all().delete()
    add_responses(Response.objects.filter(survey=survey))
    return stored_counts(survey) != before
