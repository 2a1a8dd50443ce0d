"""Site-wide defences applied to every request and response."""

import unicodedata
from urllib.parse import unquote_plus

from django.core.exceptions import BadRequest
from django.utils.cache import patch_cache_control

# No camera, microphone, location, payment or other powerful feature is used anywhere on the site.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer", "autoplay", "camera", "display-capture", "encrypted-media", "fullscreen", "geolocation",
        "gyroscope", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "usb",
        "screen-wake-lock", "xr-spatial-tracking",
    ]
)  # fmt: skip


# Everything staff see (admin, dashboards, second-factor pages) holds residents' data: never cached.
STAFF_PAGES = "/admin/"


def has_control_characters(text: str) -> bool:
    """Invisible control codes, other than tab and line breaks (which pasted text may carry)."""
    return any(unicodedata.category(char) == "Cc" and char not in "\t\n\r" for char in text)


class SiteDefencesMiddleware:
    """Refuses query strings with control characters (PostgreSQL cannot store or search a NUL, and no
    one types one), sets Permissions-Policy, and keeps staff pages and previews of unpublished pages
    out of every cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_control_characters(unquote_plus(request.META.get("QUERY_STRING", ""))):
            raise BadRequest("Control characters in the query string")
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "shows_preview", False) or request.path.startswith(STAFF_PAGES):
            patch_cache_control(response, private=True, no_store=True)
        return response
