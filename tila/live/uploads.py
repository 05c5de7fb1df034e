"""Pictures uploaded for own decks: checked, re-encoded and stored outside the database.

An upload is believed only after Pillow has read it: the type comes from the bytes, never from
the file name or the browser's content type, and only JPEG, PNG and WebP are accepted (never
SVG). A size limit is checked before the file is read and a pixel limit before it is decoded.
What is stored is a new WebP image drawn from the pixels alone, at most ``MAX_SIDE`` pixels on
its longer side: no EXIF, no location, no colour profile and no other metadata survive."""

import io
import secrets
import warnings
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
STORED_TYPE = "image/webp"
MAX_SIDE = 1600
QUALITY = 82


class ImageRejected(Exception):
    """The upload is not a picture Tila accepts; the message is for the uploader."""


def max_bytes() -> int:
    return int(getattr(settings, "TILA_UPLOAD_MAX_BYTES", 5 * 1024 * 1024))


def max_pixels() -> int:
    return int(getattr(settings, "TILA_UPLOAD_MAX_PIXELS", 40_000_000))


def too_large() -> str:
    return _("The picture is too large: at most %(mb)s MB.") % {"mb": max_bytes() // 2**20}


def upload_dir() -> Path:
    return Path(settings.TILA_UPLOAD_DIR)


def reencode(upload: UploadedFile[bytes]) -> bytes:
    """The upload as a fresh WebP image, or ``ImageRejected`` with a clear reason."""
    limit = max_bytes()
    if upload.size is None or upload.size > limit:
        raise ImageRejected(too_large())
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ImageRejected(too_large())
    too_many = _("The picture has too many pixels: at most %(mp)s megapixels.") % {
        "mp": max_pixels() // 1_000_000
    }
    not_a_picture = _("This file is not a JPEG, PNG or WebP picture.")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=sorted(ACCEPTED_FORMATS)) as image:
                width, height = image.size
                if width * height > max_pixels():
                    raise ImageRejected(too_many)
                image.load()
                picture = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise ImageRejected(too_many) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(not_a_picture) from error
    picture = picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    # A new image from the pixels alone: nothing of the original file's metadata is copied.
    clean = Image.new(picture.mode, picture.size)
    clean.paste(picture)
    out = io.BytesIO()
    clean.save(out, format="WEBP", quality=QUALITY, method=4)
    return out.getvalue()


def store(practice_uuid: str, data: bytes) -> str:
    """Write a re-encoded picture; returns its name (relative to ``upload_dir()``)."""
    name = f"live/{practice_uuid}/{secrets.token_hex(16)}.webp"
    path = upload_dir() / name
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    path.write_bytes(data)
    return name


def read(name: str) -> bytes | None:
    path = upload_dir() / name
    return path.read_bytes() if name and path.is_file() else None


def remove(name: str) -> None:
    if name:
        (upload_dir() / name).unlink(missing_ok=True)
