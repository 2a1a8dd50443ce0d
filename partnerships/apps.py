from django.apps import AppConfig

from common import page_cache


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self) -> None:
        # Every row here is shown on public pages: a change makes cached pages afresh.
        page_cache.forget_on_change_of_app(self)
