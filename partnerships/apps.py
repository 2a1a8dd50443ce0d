from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PartnershipsConfig(AppConfig):
    name = "partnerships"

    def ready(self) -> None:
        from partnerships.groups import ensure_staff_groups

        # Not limited to this app: groups also take permissions of apps migrated after it.
        post_migrate.connect(ensure_staff_groups, dispatch_uid="partnerships.ensure_staff_groups")
