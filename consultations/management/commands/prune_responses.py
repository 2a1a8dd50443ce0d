"""Erase responses whose retention period has ended. Run daily (see README, "Scheduled jobs")."""

from django.core.management.base import BaseCommand

from common.text import pluralise
from consultations.services import erase_expired_responses


class Command(BaseCommand):
    help = (
        "Erase the responses of every survey whose retention period (months after its consultation closed) "
        "has ended, from every table. Published results keep the figures frozen when they were published."
    )

    def handle(self, *args, **options) -> None:
        erased = erase_expired_responses()
        for survey, count in erased:
            self.stdout.write(f"Erased {pluralise(count, 'response')} of “{survey.consultation.title}”.")
        if not erased:
            self.stdout.write("No responses have reached the end of their retention period.")
