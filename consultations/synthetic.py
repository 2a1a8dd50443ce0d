"""A consultation with a realistic survey, for benchmarks and demos of synthetic responses."""

import datetime

from django.db import transaction
from django.utils import timezone

from consultations.models import Consultation
from partnerships.models import Partnership
from surveys.models import Survey
from surveys.synthetic import add_benchmark_questions


@transaction.atomic
def create_benchmark_survey(partnership: Partnership) -> Survey:
    """The synthetic benchmark consultation of ``partnership`` (a draft) and its 12-question survey."""
    now = timezone.now()
    consultation, _ = Consultation.objects.get_or_create(
        partnership=partnership,
        slug="synthetic-benchmark",
        defaults={
            "title": "Synthetic benchmark consultation",
            "summary": "Generated responses for measuring the dashboard and exports.",
            "audience": "Nobody: synthetic data",
            "how_responses_are_used": "They are not used.",
            "opens_at": now - datetime.timedelta(days=60),
            "closes_at": now + datetime.timedelta(days=30),
            "placeholder_note": "Synthetic data for benchmarks: do not publish.",
        },
    )
    survey, _ = Survey.objects.get_or_create(
        consultation=consultation,
        defaults={"who_is_collecting": "Nobody", "why_collecting": "Benchmarks", "retention_months": 1},
    )
    add_benchmark_questions(survey)
    return survey
