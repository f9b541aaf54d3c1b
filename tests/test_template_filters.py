"""The filters every area shares (``{% load formatting %}``): one copy, so that an empty
value reads the same on the public portal, in the city and reviewer workspaces and in a
letter."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from evaluations.templatetags import formatting, public_tags, reviewer_tags, workspace


def render(source: str, **context: object) -> str:
    return Template("{% load formatting %}" + source).render(Context(context))


@pytest.mark.parametrize("empty", [None, ""])
def test_signed_shows_an_en_dash_for_no_value(empty):
    assert render("{{ v|signed }}", v=empty) == "–"
    assert render("{{ v|signed:0 }}", v=empty) == "–"


def test_signed_shows_a_missing_context_variable_as_an_en_dash():
    assert render("{{ missing|signed }}") == "–"


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [
        (Decimal("0.25"), None, "+0,25"),
        (Decimal("-0.1"), None, "\u22120,10"),
        (Decimal("0"), None, "0,00"),
        (3, None, "+3"),  # a rank change stays whole
        (-2, 0, "\u22122"),
        (0, 0, "0"),
        ("1.5", None, "+1,50"),
    ],
)
def test_signed_in_indonesian(value, digits, shown):
    with translation.override("id"):
        assert formatting.signed(value, digits) == shown


def test_signed_follows_the_readers_language():
    with translation.override("en"):
        assert formatting.signed(Decimal("-0.1")) == "\u22120.10"


def test_get_item_gives_nothing_for_no_mapping_or_no_key():
    assert render("{{ m|get_item:k|default:'kosong' }}", m={"a": 1}, k="a") == "1"
    assert render("{{ m|get_item:k|default:'kosong' }}", m={"a": 1}, k="b") == "kosong"
    assert render("{{ m|get_item:k|default:'kosong' }}", m=None, k="a") == "kosong"
    assert render("{{ m|get_item:k|default:'kosong' }}", m="", k="a") == "kosong"


def test_one_copy_of_each_filter():
    for library in (public_tags, reviewer_tags, workspace):
        assert "signed" not in library.register.filters
        assert "get_item" not in library.register.filters
