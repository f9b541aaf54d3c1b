"""``{% score_fields %}`` gives the score form the markup crispy would, only faster."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from evaluations.forms.reviewer import ScoreForm


class _Shape(HTMLParser):
    """Tags with their attributes and the text between them, whitespace-insensitive."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        # crispy writes an empty (and invalid) ``for`` on the legend, and a second CSRF
        # token that the page's own form tag already has.
        kept = sorted((k, " ".join(sorted((v or "").split()))) for k, v in attrs if k != "for" or v)
        if ("name", "csrfmiddlewaretoken") not in kept:
            self.items.append(("<", tag, tuple(kept)))

    def handle_endtag(self, tag):
        self.items.append((">", tag))

    def handle_data(self, data):
        if data.strip():
            self.items.append(("text", " ".join(data.split())))


def _shape(html: str) -> list[tuple]:
    parser = _Shape()
    parser.feed(html)
    return parser.items


def _render(template: str, form: ScoreForm) -> str:
    context = Context({"form": form, "request": RequestFactory().get("/")})
    return Template(template).render(context)


@pytest.mark.parametrize(
    "form",
    [
        pytest.param(lambda: ScoreForm(initial={"version": 0}, prefix="i1"), id="empty"),
        pytest.param(
            lambda: ScoreForm(
                initial={"version": 2, "level": 3, "comment": "<b>catatan</b>"}, prefix="i7"
            ),
            id="saved",
        ),
        pytest.param(
            lambda: ScoreForm(
                data={"i7-level": "9", "i7-comment": "x" * 4001, "i7-version": "1"}, prefix="i7"
            ),
            id="invalid",
        ),
    ],
)
def test_same_markup_as_crispy(form):
    form = form()
    if form.is_bound:
        form.is_valid()
        form.add_error(None, "Nilai ini sudah diubah di tempat lain.")
    crispy = _render("{% load crispy_forms_tags %}{% crispy form %}", form)
    fast = _render("{% load reviewer_tags %}{% score_fields form %}", form)
    assert _shape(fast) == _shape(crispy)
    assert "&lt;b&gt;catatan" in fast or not form.initial.get("comment")
