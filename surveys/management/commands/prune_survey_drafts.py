"""Delete half-finished survey answers that are no longer kept. Run daily (see README, "Scheduled jobs")."""

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from common.text import pluralise
from surveys.journey import drafts_kept_since
from surveys.models import SurveyDraft


class Command(BaseCommand):
    help = (
        "Delete what residents typed into surveys but never sent: once its consultation has closed, and "
        "SURVEY_ANSWERS_KEPT_DAYS after the last page they saved."
    )

    def handle(self, *args, **options) -> None:
        stale = SurveyDraft.objects.filter(
            Q(updated_at__lt=drafts_kept_since()) | Q(survey__consultation__closes_at__lte=timezone.now())
        )
        deleted, _ = stale.delete()
        self.stdout.write(f"Deleted {pluralise(deleted, 'unsent survey draft')}.")
