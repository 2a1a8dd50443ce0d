from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Staff accounts: a second factor before any staff page, login throttling, staff session limits,
    and the security log's account events. Imports only ``common``."""

    name = "accounts"

    def ready(self) -> None:
        from accounts import signals  # noqa: F401 (writes logins, failures and lockouts to the security log)
