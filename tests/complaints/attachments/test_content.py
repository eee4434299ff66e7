"""Telling a file's format by its first bytes, and the name it is shown under."""

from __future__ import annotations

import pytest

from complaints.attachments import content
from tests.complaints.attachments import files


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (files.JPEG, content.JPEG),
        (files.PNG, content.PNG),
        (files.GIF, content.GIF),
        (b"GIF87a" + b"\x00" * 10, content.GIF),
        (files.WEBP, content.WEBP),
        (files.PDF, content.PDF),
    ],
)
def test_it_knows_each_accepted_format_by_its_first_bytes(data, kind):
    assert content.file_kind(data) == kind


@pytest.mark.parametrize(
    "data",
    [files.EXE, files.HTML, files.SVG, b"", b"\xff\xd8", b"RIFF\x00\x00\x00\x00WAVE", b" %PDF-1.7"],
)
def test_it_knows_nothing_else(data):
    assert content.file_kind(data) is None


def test_it_keeps_only_the_last_part_of_a_path_as_the_name():
    assert content.display_name("C:\\Users\\me\\photo.jpg") == "photo.jpg"
    assert content.display_name("../../etc/passwd") == "passwd"


def test_it_puts_a_name_on_one_line_without_characters_file_systems_refuse():
    assert content.display_name('bad\r\nname<>:"|?*.pdf') == "bad name_.pdf"


def test_it_cuts_a_long_name_keeping_its_extension():
    name = content.display_name("x" * 500 + ".pdf")
    assert len(name) == content.NAME_MAX_LENGTH and name.endswith(".pdf")


def test_it_names_a_file_without_a_name():
    assert content.display_name("") == content.DEFAULT_NAME
    assert content.display_name("/") == content.DEFAULT_NAME
