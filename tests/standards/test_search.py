"""How a search of the standards is shown and ranked: marked words (escaped), the body line
where they occur, best matches first in the library, and staff searching their own standards."""

from __future__ import annotations

from django.urls import reverse

from standards import search
from tests.factories import StandardFactory, publish_standard_version


def test_it_marks_every_searched_word_and_escapes_the_rest():
    marked = search.highlight("Greet <b>every</b> Customer by name", "customer greet")
    assert marked == "<mark>Greet</mark> &lt;b&gt;every&lt;/b&gt; <mark>Customer</mark> by name"


def test_it_marks_other_forms_of_a_word():
    assert search.highlight("Позвоните клиентом и клиенту", "клиенты") == (
        "Позвоните <mark>клиентом</mark> и <mark>клиенту</mark>"
    )


def test_it_marks_nothing_for_excluded_words_or_an_empty_search():
    assert search.highlight("Greet the customer", "-customer") == "Greet the customer"
    assert search.highlight("a < b", "") == "a &lt; b"


def test_it_shows_the_body_line_with_the_match_cut_around_it():
    body = "# Welcome\n\n" + "Before anything else, " * 12 + "offer a glass of **water** to the guest."
    line = search.snippet(body, "water")
    assert "<mark>water</mark>" in line and line.startswith("… ") and "**" not in line
    assert len(line) < search.SNIPPET_CHARS + 40
    assert search.snippet(body, "tea") == ""


def test_it_lists_the_best_matches_first(manager_client):
    publish_standard_version(StandardFactory(code="A-1", title="Answering calls"), body="Offer water.")
    publish_standard_version(StandardFactory(code="B-2", title="Water for waiting guests"))
    publish_standard_version(StandardFactory(code="C-3", title="Water"))

    page = manager_client.get(reverse("standards:library"), {"q": "water"}).content.decode()

    assert page.index("C-3") < page.index("B-2") < page.index("A-1")
    assert "<mark>Water</mark> for waiting guests" in page
    assert 'data-testid="search-snippet">Offer <mark>water</mark>.' in page


def test_it_keeps_a_chosen_order_with_a_search(manager_client):
    publish_standard_version(StandardFactory(code="A-1", title="Answering calls"), body="Offer water.")
    publish_standard_version(StandardFactory(code="C-3", title="Water"))

    page = manager_client.get(reverse("standards:library"), {"q": "water", "sort": "code"}).content.decode()

    assert page.index("A-1") < page.index("C-3")


def test_it_lets_staff_search_the_standards_that_apply_to_them(staff_client):
    publish_standard_version(
        StandardFactory(code="G-1", title="Greeting visitors", applies_to_all_customer_facing=True)
    )
    publish_standard_version(
        StandardFactory(code="R-1", title="Refunds at the counter", applies_to_all_customer_facing=True)
    )
    publish_standard_version(  # applies to nobody: not theirs
        StandardFactory(code="X-1", title="Refunds by phone", applies_to_all_customer_facing=False)
    )

    page = staff_client.get(reverse("standards:my_standards"), {"q": "refunds"}).content.decode()

    assert 'data-code="R-1"' in page
    assert 'data-code="G-1"' not in page and 'data-code="X-1"' not in page
    assert "<mark>Refunds</mark> at the counter" in page
    empty = staff_client.get(reverse("standards:my_standards"), {"q": "parking"}).content.decode()
    assert "None of your standards matches the search." in empty
