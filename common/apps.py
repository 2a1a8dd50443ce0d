from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Site-wide building blocks. Imports no other app of this project: every app may use it."""

    name = "common"
    verbose_name = "Site-wide building blocks"
