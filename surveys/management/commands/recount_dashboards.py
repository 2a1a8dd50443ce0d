"""Prove, and repair, the stored dashboard counts: each survey's are rebuilt from its answers."""

from django.core.management.base import BaseCommand

from surveys.models import Survey
from surveys.reporting.counts import recount


class Command(BaseCommand):
    help = (
        "Recount every survey's stored dashboard counts from its answers and say which had drifted "
        "(none should: they are kept in step as responses change). Safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", type=int, help="Only this survey id")

    def handle(self, *args, survey: int | None = None, **options) -> None:
        surveys = Survey.objects.select_related("consultation").order_by("pk")
        if survey:
            surveys = surveys.filter(pk=survey)
        drifted = [survey for survey in surveys if recount(survey)]
        for survey in drifted:
            self.stdout.write(f"Repaired the counts of survey {survey.pk} ({survey.consultation.title}).")
        self.stdout.write(f"Recounted {surveys.count()} surveys; {len(drifted)} had drifted.")
