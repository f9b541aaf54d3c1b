"""Reading figures back from rendered pages, as a reader sees them."""

from __future__ import annotations

from decimal import Decimal
from html.parser import HTMLParser


class _TableParser(HTMLParser):
    """Rows of the ``<tbody>`` of the first table whose class contains ``css``, as a reader
    on a desktop sees them: text inside ``visually-hidden`` elements (the figure again in
    words) and phone-only ``d-md-none`` elements is left out."""

    def __init__(self, css: str) -> None:
        super().__init__()
        self.css = css
        self.depth = 0  # >0 while inside the wanted table
        self.in_body = False
        self.hidden = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None
        self.done = False

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.done:
            return
        if tag == "table" and (self.depth or self.css in classes):
            self.depth += 1
        if not self.depth:
            return
        if tag == "tbody":
            self.in_body = True
        elif tag == "tr" and self.in_body:
            self.rows.append([])
        elif tag in ("td", "th") and self.in_body:
            self.cell = []
        if self.hidden or "visually-hidden" in classes or "d-md-none" in classes:
            self.hidden += 1

    def handle_endtag(self, tag):
        if not self.depth or self.done:
            return
        if self.hidden:
            self.hidden -= 1
        if tag in ("td", "th") and self.cell is not None and self.in_body:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.depth -= 1
            if not self.depth:
                self.done = True

    def handle_data(self, data):
        if self.cell is not None and not self.hidden:
            self.cell.append(data)


def table_rows(html: str, css: str) -> list[list[str]]:
    parser = _TableParser(css)
    parser.feed(html)
    return parser.rows


def number(text: str) -> Decimal | None:
    """A figure as printed in Indonesian (3,31 · +0,25 · −0,12 · –) back to a Decimal."""
    text = text.strip()
    if text in ("–", ""):
        return None
    return Decimal(text.replace("−", "-").replace("+", "").replace(".", "").replace(",", "."))


def rank_move(text: str) -> int | None:
    """ "▲ 3" → 3, "▼ 2" → -2, "=" → 0, "–" → None."""
    text = text.strip()
    if text == "–":
        return None
    if text == "=":
        return 0
    sign = -1 if text.startswith("▼") else 1
    return sign * int(text[1:].strip())
