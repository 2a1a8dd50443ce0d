import time

from django.core.management.base import BaseCommand, CommandError

from consultations.synthetic import create_benchmark_survey
from partnerships.models import Partnership
from surveys.models import Survey
from surveys.synthetic import generate_responses, tidy_tables


class Command(BaseCommand):
    help = (
        "Add synthetic responses to a realistic 12-question survey (created under a partnership if needed), "
        "for benchmarks and demos. Never run it on a live site's real consultations."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000, help="How many responses to add (default 100000)")
        parser.add_argument("--survey", type=int, help="Add to this survey id instead of the benchmark survey")
        parser.add_argument("--partnership", default="greenwich", help="Partnership slug for the benchmark survey")

    def handle(self, *args, count: int, survey: int | None, partnership: str, **options) -> None:
        if count < 1:
            raise CommandError("--count must be at least 1")
        if survey:
            target = Survey.objects.filter(pk=survey).first()
            if target is None:
                raise CommandError(f"No survey with id {survey}")
        else:
            owner = Partnership.objects.filter(slug=partnership).first()
            if owner is None:
                raise CommandError(f"No partnership with slug {partnership!r}; run seed_content first")
            target = create_benchmark_survey(owner)
        started = time.perf_counter()
        generate_responses(target, count)
        tidy_tables()
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Added {count:,} responses to survey {target.pk} ({target.consultation.title}) in {seconds:.1f} s; "
            f"dashboard at /admin/dashboards/{target.pk}/"
        )
