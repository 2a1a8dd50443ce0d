from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "News and events"

    def ready(self) -> None:
        from news import signals  # noqa: F401 (connects the receivers that tidy up image files)
