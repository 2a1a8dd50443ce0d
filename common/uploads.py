"""Checks on uploaded files, by their content and not just their name: documents and images.

Documents (PDF, Word, OpenDocument text) are used by plans and consultations; images by news.
Both refuse empty and oversized files with the same words.
"""

import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image


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
            members = archive.infolist()
            if not _sane_archive(members):
                return None
            names = {member.filename for member in members}
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            if "mimetype" in names:
                with archive.open("mimetype") as mimetype:
                    # Read a few bytes only: a "mimetype" that inflates to gigabytes is never read whole.
                    if mimetype.read(len(ODT.content_type) + 2).strip() == ODT.content_type.encode():
                        return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError):
        return None
    finally:
        file.seek(0)
    return None


def check_size(file, max_bytes: int, noun: str) -> None:
    """Refuse an empty file, or one over ``max_bytes``; ``noun`` is what people call it ("file", "image")."""
    if file.size > max_bytes:
        raise ValidationError(
            "The %(noun)s must be smaller than %(limit)s (this one is %(size)s)",
            code="too_large",
            params={"noun": noun, "limit": filesizeformat(max_bytes), "size": filesizeformat(file.size)},
        )
    if file.size == 0:
        raise ValidationError("The selected file is empty", code="empty")


# A Word or OpenDocument file is a zip archive. These limits refuse "zip bombs": small uploads whose
# contents claim (or expand) to absurd sizes, which would exhaust memory or disk when read.
MAX_ARCHIVE_MEMBERS = 5_000
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200


def _sane_archive(members: list[zipfile.ZipInfo]) -> bool:
    if len(members) > MAX_ARCHIVE_MEMBERS:
        return False
    if sum(member.file_size for member in members) > MAX_ARCHIVE_BYTES:
        return False
    return all(member.file_size <= MAX_COMPRESSION_RATIO * max(member.compress_size, 1024) for member in members)


def validate_document(file) -> None:
    check_size(file, settings.DOCUMENT_MAX_MEGABYTES * 1024 * 1024, "file")
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


IMAGE_MAX_MEGABYTES = 10
# Larger than any camera photo; stops a tiny file that claims to be enormous ("decompression bomb").
IMAGE_MAX_PIXELS = 50_000_000
ACCEPTED_IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}
NOT_AN_IMAGE = "The file must be a photo or picture in JPEG, PNG or WebP format"


def validate_image(file) -> None:
    """Refuse files that are empty, too large, or not a JPEG, PNG or WebP image by their content.

    Only new uploads are checked: a file already stored was checked when it arrived.
    """
    if getattr(file, "_committed", False):
        return
    check_size(file, int(IMAGE_MAX_MEGABYTES * 1024 * 1024), "image")
    image_format, width, height = _inspect_image(file)
    if image_format not in ACCEPTED_IMAGE_FORMATS:
        raise ValidationError(NOT_AN_IMAGE, code="invalid_type")
    if width * height > IMAGE_MAX_PIXELS:
        raise ValidationError(
            "The image is too large (%(width)s × %(height)s pixels): make it smaller than 8000 pixels wide",
            code="too_many_pixels",
            params={"width": width, "height": height},
        )


def _inspect_image(file) -> tuple[str | None, int, int]:
    was_closed = getattr(file, "closed", False)
    if was_closed:
        file.open("rb")
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                image_format, (width, height) = image.format, image.size
                image.verify()
        return image_format, width, height
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, 0, 0
    finally:
        if was_closed:
            file.close()
        else:
            file.seek(0)
