"""What the Content Security Policy demands of a page, checked on its HTML.

The policy (``SECURE_CSP``) allows scripts and styles from the portal's own files only, plus
scripts carrying the request's nonce. A browser would silently drop an inline ``style=``
attribute, an ``onclick=`` handler or a ``<script>`` without ``src`` and nonce; this finds them
on the server side, for every page the permission walk opens.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

NONCE = re.compile(r"'nonce-([^']+)'")
# Inline styles in third-party templates that the policy drops without breaking anything:
# (tag, class) pairs. django-simple-history's history list: a paginator border.
KNOWN_THIRD_PARTY_STYLES = {("p", "paginator")}


class _InlineFinder(HTMLParser):
    def __init__(self, nonces: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.nonces = nonces
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "style" in names and (tag, names.get("class")) not in KNOWN_THIRD_PARTY_STYLES:
            self.problems.append(f"inline style attribute on <{tag}>")
        handlers = [n for n in names if n.startswith("on")]
        if handlers:
            self.problems.append(f"inline event handler {handlers[0]} on <{tag}>")
        if tag == "script" and "src" not in names:
            kind = (names.get("type") or "").lower()
            data_only = kind in ("application/json", "application/ld+json")
            if not data_only and names.get("nonce") not in self.nonces:
                self.problems.append("inline <script> without the page's nonce")
        if tag == "style":
            self.problems.append("inline <style> element")
        href = names.get("href") or ""
        if href.strip().lower().startswith("javascript:"):
            self.problems.append(f"javascript: link on <{tag}>")


def csp_problems(response) -> list[str]:
    """Why ``response`` (an HTML page) would break under the portal's policy, if it would."""
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        return ["no Content-Security-Policy header"]
    problems = []
    if "unsafe-inline" in policy or "unsafe-eval" in policy:
        problems.append(f"policy allows inline code: {policy}")
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    for name in ("default-src", "script-src", "style-src", "object-src", "frame-ancestors"):
        if name not in directives:
            problems.append(f"policy has no {name}")
    finder = _InlineFinder(set(NONCE.findall(policy)))
    finder.feed(response.content.decode(response.charset or "utf-8", errors="replace"))
    return problems + sorted(set(finder.problems))
