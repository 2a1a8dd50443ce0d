from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebsiteConfig(AppConfig):
    """The site as residents and staff meet it: pages drawn from every app, search, roles, seed content.

    It may import every other app of this project; none imports it.
    """

    name = "website"

    def ready(self) -> None:
        from website.roles import ensure_staff_groups

        # Not limited to this app: groups take permissions of every app, so run after each migrate.
        post_migrate.connect(ensure_staff_groups, dispatch_uid="website.ensure_staff_groups")
