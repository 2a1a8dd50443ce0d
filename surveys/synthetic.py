"""Synthetic responses for benchmarks and demos, generated inside PostgreSQL (INSERT ... SELECT).

Nothing passes through Python per row, so a million responses take about a minute here.
"""

from django.db import connection, transaction
from django.utils import timezone

from surveys.models import REFERENCE_ALPHABET, REFERENCE_LENGTH, Question, Response, Section, Survey
from surveys.reporting import counts

PHRASES = [
    "Waiting times for GP appointments are too long",
    "The phone line was always busy, so I gave up",
    "Staff were kind and helpful",
    "Please keep video appointments, they save me a day off work",
    "Services do not talk to each other; I had to repeat my story",
    "More support for carers, please",
    "Café, résumé and naïve spellings, with “quotes”, commas, and an emoji 😊",
    "Mental health support for young people should come first",
    "Transport to the hospital is difficult without a car",
    "=SUM(A1:A9) looks like a formula but is an answer",
]

BENCHMARK_QUESTIONS = [
    # identifier, kind, extra fields, choices (for plain choice questions)
    ("plan_focus", Question.Kind.AGREEMENT, {"required": True}, None),
    ("joined_up", Question.Kind.AGREEMENT, {}, None),
    ("first_priority", Question.Kind.SINGLE_CHOICE, {"allow_other": True},
     ["GP access", "Mental health", "Community care", "Hospital care", "Prevention"]),
    ("topics", Question.Kind.MULTIPLE_CHOICE, {"max_choices": 3},
     ["Access", "Waiting times", "Staff", "Buildings", "Digital", "Carers"]),
    ("experience", Question.Kind.RATING, {}, None),
    ("used_service", Question.Kind.YES_NO, {}, None),
    ("visits", Question.Kind.NUMBER, {"min_value": 0, "max_value": 50}, None),
    ("what_matters", Question.Kind.LONG_TEXT, {"max_length": 1000}, None),
    ("anything_else", Question.Kind.LONG_TEXT, {"max_length": 1000}, None),
]  # fmt: skip
ABOUT_YOU_QUESTIONS = [
    ("about_age", Question.Kind.SINGLE_CHOICE, {},
     ["Under 16", "16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 to 74", "75 or over",
      "Prefer not to say"]),
    ("about_ethnicity", Question.Kind.SINGLE_CHOICE, {},
     ["Asian or Asian British", "Black, Black British, Caribbean or African", "Mixed or multiple ethnic groups",
      "White", "Other ethnic group", "Prefer not to say"]),
    ("about_borough", Question.Kind.BOROUGH, {}, None),
]  # fmt: skip


def _add_questions(section: Section, specs) -> None:
    for order, (identifier, kind, extra, labels) in enumerate(specs, start=1):
        question = Question(section=section, order=order, identifier=identifier, kind=kind, **extra)
        question.text = identifier.replace("_", " ").capitalize()
        question.save()
        for number, label in enumerate(labels or [], start=1):
            question.choices.create(label=label, value=f"choice_{number}", order=number)


@transaction.atomic
def add_benchmark_questions(survey: Survey) -> None:
    """A realistic 12-question survey: choices, scales, numbers, free text and About you."""
    if survey.sections.exists():
        return
    _add_questions(survey.sections.create(title="Your views", order=1), BENCHMARK_QUESTIONS)
    _add_questions(survey.sections.create(title="About you", order=2, is_about_you=True), ABOUT_YOU_QUESTIONS)


def generate_responses(survey: Survey, count: int) -> int:
    """Add ``count`` accepted responses with random answers (optional questions skipped 20% of the time).

    References are drawn from the real alphabet; the rare one already taken is drawn again, so a
    million in one go never fails on a duplicate.
    """
    consultation = survey.consultation
    start = consultation.opens_at
    span = max(1.0, (min(timezone.now(), consultation.closes_at) - start).total_seconds())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM surveys_response")
        before = cursor.fetchone()[0]
        missing = count
        for _ in range(10):
            cursor.execute(
                """
                INSERT INTO surveys_response (survey_id, reference, channel, status, held_because, submitted_at)
                SELECT %(survey)s,
                       (SELECT string_agg(substr(%(alphabet)s, 1 + floor(random() * %(letters)s)::int, 1), '')
                        FROM generate_series(1, %(length)s + 0 * n)),
                       (ARRAY['online','online','online','online','online','online','paper','event','email'])
                           [1 + floor(random() * 9)::int],
                       'accepted', '',
                       %(start)s::timestamptz + (random() * %(span)s) * interval '1 second'
                FROM generate_series(1, %(missing)s) AS n
                ON CONFLICT (reference) DO NOTHING
                """,
                {
                    "survey": survey.pk,
                    "alphabet": REFERENCE_ALPHABET,
                    "letters": len(REFERENCE_ALPHABET),
                    "length": REFERENCE_LENGTH,
                    "start": start,
                    "span": span,
                    "missing": missing,
                },
            )
            missing -= cursor.rowcount
            if not missing:
                break
        for question in survey.questions.prefetch_related("choices"):
            _answers_for(cursor, question, before)
        counts.add_responses(Response.objects.filter(survey=survey, pk__gt=before))
        # Fresh statistics: after a bulk insert the planner would otherwise guess from the old sizes
        # (a filtered dashboard took 37 s instead of 0.2 s at 100,000 responses before this).
        cursor.execute("ANALYZE surveys_response, surveys_answer")
    return count - missing


def tidy_tables() -> None:
    """VACUUM ANALYZE the response tables after a bulk insert (outside any transaction), as autovacuum
    would in time: fresh statistics, and the visibility map that lets the covering indexes answer alone."""
    if connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_response")
        cursor.execute("VACUUM ANALYZE surveys_answer")


def _answers_for(cursor, question: Question, after_id: int) -> None:
    skip = "" if question.required else "AND random() < 0.8"
    base = f"FROM surveys_response r WHERE r.survey_id = %s AND r.id > %s {skip}"  # noqa: S608 - no user input
    params = [question.survey_id, after_id]
    choice_ids = [c.pk for c in question.choices.all() if not c.is_other]
    other = next((c.pk for c in question.choices.all() if c.is_other), None)
    if question.kind == Question.Kind.MULTIPLE_CHOICE:
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, choice_id, text) "
            "SELECT r.id, %s, c, '' FROM surveys_response r CROSS JOIN unnest(%s::bigint[]) AS c "
            "WHERE r.survey_id = %s AND r.id > %s AND random() < 0.35",
            [question.pk, choice_ids, *params],
        )
    elif question.is_choice:
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, choice_id, text) "
            f"SELECT r.id, %s, (%s::bigint[])[1 + floor(random() * %s)::int], '' {base}",
            [question.pk, choice_ids + ([other] if other else []), len(choice_ids) + (1 if other else 0), *params],
        )
        if other:
            cursor.execute(
                "UPDATE surveys_answer SET text = (%s::text[])[1 + floor(random() * %s)::int] "
                "WHERE question_id = %s AND choice_id = %s AND text = ''",
                [PHRASES, len(PHRASES), question.pk, other],
            )
    elif question.kind == Question.Kind.NUMBER:
        low, high = question.min_value or 0, question.max_value or 100
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, number, text) "
            f"SELECT r.id, %s, %s + floor(random() * %s)::int, '' {base}",
            [question.pk, low, high - low + 1, *params],
        )
    else:
        cursor.execute(
            "INSERT INTO surveys_answer (response_id, question_id, text) "
            f"SELECT r.id, %s, (%s::text[])[1 + floor(random() * %s)::int] || ' (' || r.id || ')' {base}",
            [question.pk, PHRASES, len(PHRASES), *params],
        )
