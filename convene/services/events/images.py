"""An event's image: checked by its first bytes, stored under a new name each time."""

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from ... import policy
from ...models import Event
from ...policy import Actor
from .. import InvalidInput

MAX_IMAGE_BYTES = 2 * 1024 * 1024


IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "webp": "image/webp"}


def image_kind(data: bytes) -> str | None:
    """ "png", "jpg" or "webp" from the file's first bytes (never from its name)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


def upload_folder() -> Path:
    """Where uploaded files live: UPLOAD_FOLDER, or `uploads` in the instance folder."""
    configured = current_app.config.get("UPLOAD_FOLDER")
    return Path(configured) if configured else Path(current_app.instance_path) / "uploads"


def store_event_image(actor: Actor, event: Event, data: bytes) -> str | None:
    """Check and store the event's image (PNG, JPEG or WebP, at most 2 MB).

    The file gets a new name each time, so nothing is overwritten before the change is
    committed; returns the previous file's name, for the caller to delete after commit.
    """
    policy.require_manage_event(actor, event)
    if len(data) > MAX_IMAGE_BYTES:
        raise InvalidInput(
            str(_l("The image is too large.")),
            {"image": [str(_l("Choose an image of at most 2 MB."))]},
        )
    kind = image_kind(data)
    if kind is None:
        raise InvalidInput(
            str(_l("This file is not an image convene accepts.")),
            {"image": [str(_l("Choose a PNG, JPEG or WebP image."))]},
        )
    name = f"events/{event.id}-{secrets.token_hex(8)}.{kind}"
    path = upload_folder() / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    previous, event.image_path = event.image_path, name
    return previous


def delete_image_file(name: str | None) -> None:
    """Remove a stored image that nothing refers to any more."""
    if name:
        (upload_folder() / name).unlink(missing_ok=True)


def image_content_type(name: str) -> str:
    return IMAGE_TYPES.get(name.rsplit(".", 1)[-1], "application/octet-stream")
