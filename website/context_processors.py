from django.conf import settings
from django.utils.functional import SimpleLazyObject

from partnerships.models import Partnership


def site(request) -> dict:
    """The site name, and the partnerships for the header navigation (one query, only if shown)."""
    return {
        "site_name": settings.SITE_NAME,
        "navigation_partnerships": SimpleLazyObject(
            lambda: list(Partnership.objects.public().only("name", "slug", "kind"))
        ),
    }
