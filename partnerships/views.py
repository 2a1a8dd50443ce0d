from django.http import FileResponse, HttpRequest

from common.documents import document_response
from partnerships.access import get_visible_or_404
from partnerships.models import PlanDocument


def document_download(request: HttpRequest, pk: int, filename: str) -> FileResponse:
    """A plan's document, for everyone while the plan is public, otherwise for its partnership's editors."""
    document = get_visible_or_404(request, PlanDocument.objects.select_related("plan__partnership"), pk=pk)
    return document_response(request, document, filename)
