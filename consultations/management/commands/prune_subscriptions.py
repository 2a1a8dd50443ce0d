"""Delete email subscriptions nobody needs any more. Run daily (see README, "Results and email updates")."""

import datetime

from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from consultations.models import Subscription

KEEP_FOR = datetime.timedelta(days=30)


class Command(BaseCommand):
    help = "Delete subscriptions unsubscribed, or asked for and never confirmed, more than 30 days ago."

    def handle(self, *args, **options) -> None:
        cutoff = timezone.now() - KEEP_FOR
        stale = Subscription.objects.filter(
            Q(unsubscribed_at__lt=cutoff) | Q(confirmed_at__isnull=True, requested_at__lt=cutoff)
        )
        _, deleted = stale.delete()
        count = deleted.get(Subscription._meta.label, 0)
        self.stdout.write(f"Deleted {count} {'subscription' if count == 1 else 'subscriptions'}.")
