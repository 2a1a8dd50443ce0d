"""Uploaded photos (checked by common.uploads.validate_image) copied at phone and desktop sizes.

Pages only ever show the copies ("renditions"), re-encoded without the original's metadata (so no
camera GPS position leaks), and the original has no public address at all.
"""

import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.fields.files import FieldFile
from PIL import Image, ImageOps

RENDITION_WIDTHS = (480, 960)
# (file extension, Pillow format, MIME type): WebP for browsers that take it, JPEG for the rest.
RENDITION_FORMATS = (("webp", "WEBP", "image/webp"), ("jpg", "JPEG", "image/jpeg"))
RENDITION_FOLDER = "news/renditions"
CONTENT_TYPES = {extension: content_type for extension, _, content_type in RENDITION_FORMATS}


def make_renditions(field_file: FieldFile) -> dict:
    """Save resized copies of a stored image beside it and describe them (stored in a JSONField)."""
    storage = field_file.storage
    field_file.open("rb")
    try:
        with Image.open(field_file) as original:
            image = _flatten(ImageOps.exif_transpose(original))
    finally:
        field_file.close()
    stem = uuid.uuid4().hex
    files = []
    # Never enlarge: a small original gives one copy at its own width.
    for width in sorted({min(target, image.width) for target in RENDITION_WIDTHS}):
        height = max(1, round(image.height * width / image.width))
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, pillow_format, _ in RENDITION_FORMATS:
            buffer = io.BytesIO()
            resized.save(buffer, pillow_format, quality=80, optimize=pillow_format == "JPEG")
            name = storage.save(f"{RENDITION_FOLDER}/{stem}-{width}w.{extension}", ContentFile(buffer.getvalue()))
            files.append({"name": name, "width": width, "height": height, "format": extension})
    return {"source": field_file.name, "width": image.width, "height": image.height, "files": files}


def _flatten(image: Image.Image) -> Image.Image:
    """RGB for JPEG: transparent parts become white rather than black."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def sync_renditions(instance, field_name: str = "image", renditions_name: str = "renditions") -> None:
    """After a save: make renditions if the image changed, and remove the files it replaced.

    Called from the model's ``save()``; renditions are recorded with ``update()`` so no signal
    or ``save()`` runs twice.
    """
    field_file = getattr(instance, field_name)
    current = getattr(instance, renditions_name) or {}
    if (current.get("source") or "") == (field_file.name or ""):
        return
    new = make_renditions(field_file) if field_file else {}
    type(instance)._default_manager.filter(pk=instance.pk).update(**{renditions_name: new})
    setattr(instance, renditions_name, new)
    delete_files(field_file.storage, current, include_source=True)


def delete_files(storage, renditions: dict, include_source: bool) -> None:
    """Delete an image's renditions (and the original, if asked) once the transaction commits."""
    names = [file["name"] for file in (renditions or {}).get("files", [])]
    if include_source and (renditions or {}).get("source"):
        names.append(renditions["source"])

    def delete() -> None:
        for name in names:
            storage.delete(name)

    if names:
        transaction.on_commit(delete)


def rendition_filename(name: str) -> str:
    return name.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Picture:
    """An image as a page shows it: ``srcset`` lists of its renditions, never the original."""

    renditions: dict
    alt: str
    url_for: Callable[[str], str]

    def _files(self, extension: str) -> list[dict]:
        return [file for file in self.renditions.get("files", []) if file["format"] == extension]

    def srcset(self, extension: str) -> str:
        return ", ".join(f"{self.url_for(rendition_filename(f['name']))} {f['width']}w" for f in self._files(extension))

    @property
    def webp_srcset(self) -> str:
        return self.srcset("webp")

    @property
    def jpeg_srcset(self) -> str:
        return self.srcset("jpg")

    @property
    def src(self) -> str:
        """The smallest JPEG, for browsers that ignore ``srcset``."""
        smallest = self._files("jpg")[:1]
        return self.url_for(rendition_filename(smallest[0]["name"])) if smallest else ""

    def __bool__(self) -> bool:
        return bool(self.renditions.get("files"))
