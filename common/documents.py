"""Uploaded documents (PDF, Word, OpenDocument) attached to pages, and how they are served."""

from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify

from common.publishing import BelongsToPublishable, PlaceholderMixin
from common.uploads import DOCUMENT_TYPES, sniff_document_type, validate_document


def document_upload_path(instance: "UploadedDocument", filename: str) -> str:
    stem, _, extension = filename.rpartition(".")
    return f"{instance.upload_folder()}/{slugify(stem)[:80] or 'document'}.{extension.lower()}"


class UploadedDocument(PlaceholderMixin, BelongsToPublishable):
    """A PDF, Word or OpenDocument file checked by content, with its type and size for the link text.

    Public when the page it belongs to is: subclasses name that page in ``published_with``.
    """

    title = models.CharField(max_length=200)
    file = models.FileField(
        upload_to=document_upload_path,
        validators=[validate_document],
        help_text="A PDF, Word (.docx) or OpenDocument (.odt) file.",
    )
    file_type = models.CharField(max_length=8, editable=False)
    file_size = models.PositiveBigIntegerField(editable=False, default=0)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        detected = sniff_document_type(self.file)
        self.file_type = detected.code if detected else ""
        self.file_size = self.file.size
        super().save(*args, **kwargs)

    def upload_folder(self) -> str:
        raise NotImplementedError

    @property
    def type_label(self) -> str:
        document_type = DOCUMENT_TYPES.get(self.file_type)
        return document_type.label if document_type else "File"

    @property
    def content_type(self) -> str:
        document_type = DOCUMENT_TYPES.get(self.file_type)
        return document_type.content_type if document_type else "application/octet-stream"

    @property
    def size_label(self) -> str:
        return filesizeformat(self.file_size)

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]


def document_response(request: HttpRequest, document: UploadedDocument, filename: str) -> FileResponse:
    """The file, under its own name only (the caller has decided that this person may see it).

    Always a download, and sandboxed should a browser open it anyway: an uploaded PDF can carry
    scripts and links, and must never run as a page of this site.
    """
    if document.filename != filename:
        raise Http404("No such document")
    response = FileResponse(
        document.file.open("rb"), content_type=document.content_type, filename=document.filename, as_attachment=True
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response
