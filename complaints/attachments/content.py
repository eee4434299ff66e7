"""What a file is, told by its first bytes, never by its name or the type its sender claimed.

Pure functions: a customer's ``invoice.pdf`` may be an ``.exe`` or an HTML page with a script
in it; only the formats below are accepted, each known by its magic bytes.
"""

from __future__ import annotations

import dataclasses
import os
import re

from common.text import single_line


@dataclasses.dataclass(frozen=True)
class FileKind:
    """A format we accept: its content type (sent with every download) and file extension."""

    content_type: str
    extension: str


JPEG = FileKind("image/jpeg", "jpg")
PNG = FileKind("image/png", "png")
GIF = FileKind("image/gif", "gif")
WEBP = FileKind("image/webp", "webp")
PDF = FileKind("application/pdf", "pdf")
ACCEPTED = (JPEG, PNG, GIF, WEBP, PDF)

# A display name longer than this is cut (the extension kept).
NAME_MAX_LENGTH = 150
DEFAULT_NAME = "attachment"
# Characters a file name never needs: path separators and those some systems refuse.
_UNSAFE_NAME = re.compile(r'[\\/:*?"<>|]+')


@dataclasses.dataclass(frozen=True)
class IncomingFile:
    """A file on its way in (from a form or a mail): the name its sender gave and its bytes."""

    name: str
    data: bytes


def file_kind(data: bytes) -> FileKind | None:
    """The accepted format ``data`` starts with, or None for anything else (including empty)."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return GIF
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    return None


def display_name(name: str) -> str:
    """The name a file is shown and downloaded under: its last path component, on one line,
    without characters file systems refuse, at most :data:`NAME_MAX_LENGTH` characters
    (its extension kept); :data:`DEFAULT_NAME` when nothing is left."""
    base = re.split(r"[\\/]", name or "")[-1]
    cleaned = single_line(_UNSAFE_NAME.sub("_", base)).strip(" .")
    if len(cleaned) > NAME_MAX_LENGTH:
        stem, extension = os.path.splitext(cleaned)
        extension = extension[:16]
        cleaned = stem[: NAME_MAX_LENGTH - len(extension)] + extension
    return cleaned or DEFAULT_NAME
