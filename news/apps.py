from django.apps import AppConfig

from common import page_cache


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News and events"

    def ready(self) -> None:
        from news import signals  # noqa: F401 (connects the receivers that tidy up image files)

        page_cache.forget_on_change_of_app(self)
