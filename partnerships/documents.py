"""Checks on uploaded plan documents: type by content (not just the name) and size."""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class DocumentType:
    code: str
    label: str
    extension: str
    content_type: str


PDF = DocumentType("pdf", "PDF", "pdf", "application/pdf")
DOCX = DocumentType(
    "docx",
    "Word document",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
)
ODT = DocumentType("odt", "OpenDocument text", "odt", "application/vnd.oasis.opendocument.text")
DOCUMENT_TYPES = {t.code: t for t in (PDF, DOCX, ODT)}

ACCEPTED_MESSAGE = "The file must be a PDF, Word (.docx) or OpenDocument text (.odt) document"


def sniff_document_type(file) -> DocumentType | None:
    """Return the type the file's bytes show it to be, or None if it is none we accept.

    Leaves the file as it found it: a stored file that was closed is closed again.
    """
    was_closed = getattr(file, "closed", False)
    if was_closed:
        file.open("rb")
    try:
        return _sniff(file)
    finally:
        if was_closed:
            file.close()


def _sniff(file) -> DocumentType | None:
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if not head.startswith(b"PK\x03\x04"):
        return None
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "mimetype" in names and archive.read("mimetype").strip() == ODT.content_type.encode():
                return ODT
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    return None


def validate_document(file) -> None:
    max_bytes = settings.DOCUMENT_MAX_MEGABYTES * 1024 * 1024
    if file.size > max_bytes:
        raise ValidationError(
            "The file must be smaller than %(limit)s (this one is %(size)s)",
            code="too_large",
            params={"limit": filesizeformat(max_bytes), "size": filesizeformat(file.size)},
        )
    if file.size == 0:
        raise ValidationError("The selected file is empty", code="empty")
    detected = sniff_document_type(file)
    if detected is None:
        raise ValidationError(ACCEPTED_MESSAGE, code="invalid_type")
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if extension != detected.extension:
        raise ValidationError(
            "The file is a %(label)s but its name ends in “.%(extension)s”: rename it to end in .%(expected)s",
            code="extension_mismatch",
            params={"label": detected.label, "extension": extension, "expected": detected.extension},
        )
