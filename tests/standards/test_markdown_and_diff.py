from __future__ import annotations

import pytest
from django import forms

from standards.diff import version_diff
from standards.forms import parse_knowledge_check
from standards.markdown import render_markdown
from tests.factories import publish_standard_version


def test_it_removes_script_tags():
    html = render_markdown("Hi <script>alert('x')</script>")

    assert "<script" not in html
    assert "alert(" not in html or "&lt;" in html


def test_it_removes_javascript_links():
    html = render_markdown(
        "[a](javascript:alert(1)) <a href='JaVaScRiPt:alert(2)'>b</a> <img src=x onerror=alert(3)>"
    )

    assert "javascript:" not in html.lower()
    assert "onerror" not in html


def test_it_keeps_ordinary_markdown():
    html = render_markdown("**bold** and [link](https://example.org)")

    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html


@pytest.mark.django_db
def test_it_diffs_steps_and_body():
    old = publish_standard_version(
        body="line one\nline two", steps=[("Greet", "warm"), ("Smile", ""), ("Bye", "")]
    )
    new = publish_standard_version(
        old.standard, body="line one\nline 2", steps=[("Greet", "warmer"), ("Bye", ""), ("Call back", "")]
    )

    diff = version_diff(old, new)

    kinds = [(c.kind, c.old_text or c.new_text) for c in diff.steps]
    assert ("changed", "Greet") in kinds
    assert ("removed", "Smile") in kinds
    assert ("added", "Call back") in kinds
    assert [line.kind for line in diff.body] == ["same", "removed", "added"]


@pytest.mark.django_db
def test_it_reports_no_changes_between_identical_versions():
    old = publish_standard_version()
    new = publish_standard_version(old.standard, kind="minor")

    assert not version_diff(old, new).has_changes


def test_it_parses_the_knowledge_check_format():
    questions = parse_knowledge_check("? First?\n* yes\n- no\n\n? Second?\n- a\n* b\n")

    assert [q.text for q in questions] == ["First?", "Second?"]
    assert questions[1].choices == [("a", False), ("b", True)]


def test_it_rejects_a_question_without_a_correct_answer():
    with pytest.raises(forms.ValidationError):
        parse_knowledge_check("? First?\n- yes\n- no")
