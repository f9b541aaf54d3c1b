"""Read what a browser would post from a rendered page: the fields of its forms as they stand
(hidden inputs, text, checked radios and boxes, selected options, textareas)."""

from __future__ import annotations

from html.parser import HTMLParser


class _Fields(HTMLParser):
    def __init__(self, prefix: str) -> None:
        super().__init__(convert_charrefs=True)
        self.prefix = prefix
        self.data: dict[str, list[str]] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def _add(self, name: str | None, value: str | None) -> None:
        if name and name.startswith(self.prefix):
            self.data.setdefault(name, []).append(value or "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._add(a.get("name"), a.get("value") or "on")
            elif kind not in ("submit", "button", "file", "reset", "image"):
                self._add(a.get("name"), a.get("value"))
        elif tag == "textarea":
            self._textarea = a.get("name")
            if self._textarea and self._textarea.startswith(self.prefix):
                self.data[self._textarea] = [""]
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._add(self._select, a.get("value"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea and self._textarea.startswith(self.prefix):
            self.data[self._textarea][-1] += data


def page_fields(html: str | bytes, prefix: str) -> dict[str, list[str]]:
    """The values of every field whose name starts with ``prefix`` (lists, as QueryDicts)."""
    parser = _Fields(prefix)
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    # A textarea's text starts after a newline that browsers drop.
    return {k: [v.removeprefix("\n") for v in vs] for k, vs in parser.data.items()}
