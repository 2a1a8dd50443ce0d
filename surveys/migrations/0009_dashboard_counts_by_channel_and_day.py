import datetime

from django.db import migrations, models

# A frozen copy of surveys.reporting.counts.KEYS and KEY_SQL as they were when this migration was written.
KEYS = """
WITH counted AS MATERIALIZED (
    SELECT r.id, r.survey_id, r.channel, (r.submitted_at AT TIME ZONE %(tz)s)::date AS day
    FROM surveys_response r JOIN ({ids}) x ON x.id = r.id
),
answers AS MATERIALIZED (
    -- A plain join, so the planner picks: the (response, question) index, which holds the choice and
    -- the number, for a few responses; one pass over the answers for many.
    SELECT c.survey_id, c.channel, c.day, a.response_id, a.question_id, a.choice_id, a.number
    FROM counted c JOIN surveys_answer a ON a.response_id = c.id
)
SELECT survey_id, 'total' AS kind, NULL AS a, NULL AS b, channel, day, count(*) AS n, sum(id) AS ids
FROM counted GROUP BY survey_id, channel, day
UNION ALL
SELECT survey_id, 'choice', question_id::text, coalesce(choice_id::text, '-'), channel, day, count(*), sum(response_id)
FROM answers GROUP BY survey_id, question_id, choice_id, channel, day
UNION ALL
SELECT survey_id, 'answered', question_id::text, NULL, channel, day, count(*), sum(response_id)
FROM (
    SELECT DISTINCT survey_id, question_id, response_id, channel, day FROM answers WHERE question_id = ANY(%(many)s)
) answered
GROUP BY survey_id, question_id, channel, day
UNION ALL
SELECT survey_id, 'section', section_id::text, NULL, channel, day, count(*), sum(response_id)
FROM (
    SELECT DISTINCT a.survey_id, q.section_id, a.response_id, a.channel, a.day
    FROM answers a JOIN surveys_question q ON q.id = a.question_id
) completed GROUP BY survey_id, section_id, channel, day
UNION ALL
SELECT survey_id, 'number', question_id::text, number::text, channel, day, count(*), sum(response_id)
FROM answers WHERE number IS NOT NULL GROUP BY survey_id, question_id, number, channel, day
UNION ALL
-- "Other, please specify" answers with something written: only these rows' text is read.
SELECT c.survey_id, 'other', a.question_id::text, NULL, c.channel, c.day, count(*), sum(a.response_id)
FROM counted c JOIN surveys_answer a ON a.response_id = c.id
WHERE a.choice_id = ANY(%(others)s) AND a.text <> ''
GROUP BY c.survey_id, a.question_id, c.channel, c.day
"""
KEY_SQL = "k.kind || coalesce(':' || k.a, '') || coalesce(':' || k.b, '')"


def count_existing_responses(apps, schema_editor):
    """Every survey's accepted responses, counted again by channel and day."""
    from django.conf import settings

    Question = apps.get_model("surveys", "Question")
    Choice = apps.get_model("surveys", "Choice")
    many = list(Question.objects.filter(kind="multiple_choice").values_list("pk", flat=True))
    others = list(Choice.objects.filter(is_other=True).values_list("pk", flat=True))
    ids = "SELECT id FROM surveys_response WHERE status = 'accepted'"
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO surveys_dashboardcount (survey_id, key, channel, day, n, ids) "
            f"SELECT survey_id, {KEY_SQL}, channel, day, n, ids FROM ({KEYS.format(ids=ids)}) k",
            {"tz": settings.TIME_ZONE, "many": many, "others": others},
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0008_covering_answer_indexes")]

    operations = [
        migrations.RunSQL("DELETE FROM surveys_dashboardcount", migrations.RunSQL.noop),
        migrations.RemoveConstraint(model_name="dashboardcount", name="one_count_per_figure"),
        migrations.AddField(
            model_name="dashboardcount",
            name="channel",
            field=models.CharField(default="", max_length=10),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="dashboardcount",
            name="day",
            field=models.DateField(default=datetime.date(2000, 1, 1)),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="dashboardcount",
            constraint=models.UniqueConstraint(
                fields=("survey", "key", "channel", "day"), name="one_count_per_figure_and_day"
            ),
        ),
        migrations.RunPython(count_existing_responses, migrations.RunPython.noop),
    ]
