from django.apps import AppConfig

from common import page_cache


class ConsultationsConfig(AppConfig):
    name = "consultations"

    def ready(self) -> None:
        from consultations.models import DiscussionRequest, OutcomeNotification, Subscription

        # What public pages show changes cached pages; residents' requests and sign-ups show nowhere.
        page_cache.forget_on_change_of_app(self, except_models=[DiscussionRequest, OutcomeNotification, Subscription])
