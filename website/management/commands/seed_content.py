from django.core.management.base import BaseCommand

from consultations.seed import load_consultations
from news.seed import load_news
from partnerships.seed.loader import load_partnerships

# Each app's loader returns the keys of the parts it loaded this time; order matters.
LOADERS = [load_partnerships, load_consultations, load_news]


class Command(BaseCommand):
    help = "Load the seed content (partnerships, plans, ...). Safe to run again: loaded parts are never redone."

    def handle(self, *args, **options) -> None:
        loaded = [key for loader in LOADERS for key in loader()]
        if loaded:
            self.stdout.write(f"Loaded seed content: {', '.join(loaded)}")
        else:
            self.stdout.write("Seed content already loaded; nothing changed.")
