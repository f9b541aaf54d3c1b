"""The purged Bootstrap CSS that pages load (``make css``) still has every Bootstrap rule a
template, the portal's JavaScript or its Python names: a class added after the last
``make css`` fails here until the purged files are rebuilt and committed (issue 16: only
the CSS a page uses blocks rendering)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOOTSTRAP = ROOT / "static/vendor/bootstrap-5.3.9/css"
ICONS = ROOT / "static/vendor/bootstrap-icons-1.13.2"
CLASS_SELECTOR = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")
# A class attribute's static words (template tags and variables removed).
CLASS_ATTR = re.compile(r'class="([^"]*)"')
TEMPLATE_CODE = re.compile(r"\{[{%].*?[}%]\}")


def selectors(path: Path) -> list[set[str]]:
    """The classes of each selector of the file (declarations and at-rules dropped)."""
    css = re.sub(r"\{[^{}]*\}", "\n", path.read_text(encoding="utf-8"))
    css = re.sub(r"/\*.*?\*/|@[^{\n]*\{", "\n", css, flags=re.S)
    return [set(CLASS_SELECTOR.findall(sel)) for sel in re.split(r"[,\n]", css)]


def needed(full: Path, used: set[str]) -> set[str]:
    """Classes of the full file's selectors that can match the portal's markup (every class
    of the selector is used somewhere)."""
    return set().union(*(sel for sel in selectors(full) if sel and sel <= used))


def used_classes() -> set[str]:
    used: set[str] = set()
    sources = [*(ROOT / "templates").rglob("*.html"), *(ROOT / "static/js").glob("*.js")]
    for folder in ("evaluations", "smartcity", "regions"):
        sources += (ROOT / folder).rglob("*.py")
    for path in sources:
        text = path.read_text(encoding="utf-8")
        for value in CLASS_ATTR.findall(text):
            used.update(TEMPLATE_CODE.sub(" ", value).split())
        # Words inside {% if %} branches of a class attribute ("active", "is-invalid").
        for value in re.findall(r'class="([^"]*\{%[^"]*)"', text):
            used.update(re.findall(r"%\}\s*([\w-]+)", value))
    return used


def test_the_purged_files_keep_every_rule_the_portal_uses():
    used = used_classes()
    for full, purged in (
        (BOOTSTRAP / "bootstrap.min.css", BOOTSTRAP / "bootstrap.purged.min.css"),
        (ICONS / "bootstrap-icons.min.css", ICONS / "bootstrap-icons.purged.min.css"),
    ):
        kept = set().union(*selectors(purged))
        missing = sorted(needed(full, used) - kept)
        assert missing == [], f"{purged.name} lacks {missing}: run make css and commit"


def test_pages_load_the_purged_files_and_they_are_small():
    base = (ROOT / "templates/base.html").read_text(encoding="utf-8")
    assert "bootstrap.purged.min.css" in base
    assert "bootstrap-icons.purged.min.css" in base
    assert "bootstrap.min.css'" not in base
    blocking = (BOOTSTRAP / "bootstrap.purged.min.css").stat().st_size + (
        ICONS / "bootstrap-icons.purged.min.css"
    ).stat().st_size
    assert blocking < 100_000  # the full files: 319,368 bytes


def test_the_icon_font_is_cut_to_the_icons_the_pages_show():
    """Every page shows header icons, so every page fetches the icon font: the purged CSS
    points at the subset ``make css`` writes (scripts/subset_icons.py), which has a glyph
    for every icon rule the purged CSS keeps and little else."""
    from fontTools.ttLib import TTFont

    css = (ICONS / "bootstrap-icons.purged.min.css").read_text(encoding="utf-8")
    sources = re.findall(r'url\("([^"]+)"\)', css)
    assert sources == ["fonts/bootstrap-icons.purged.woff2"]
    wanted = {int(value, 16) for value in re.findall(r'content:"\\([0-9a-f]{4,6})"', css)}
    assert len(wanted) >= 40  # the icons the templates use (51 when written)
    font = TTFont(ICONS / "fonts/bootstrap-icons.purged.woff2")
    cmap = set(font.getBestCmap())
    assert wanted <= cmap, f"icons without a glyph: {sorted(hex(c) for c in wanted - cmap)}"
    assert len(cmap) <= len(wanted) + 2
    # Each icon keeps the full font's outline, not merely some glyph at its code point.
    full = TTFont(ICONS / "fonts/bootstrap-icons.woff2")
    for code in wanted:
        ours, theirs = (
            font["glyf"][font.getBestCmap()[code]],
            full["glyf"][full.getBestCmap()[code]],
        )
        assert list(ours.getCoordinates(font["glyf"])[0]) == list(
            theirs.getCoordinates(full["glyf"])[0]
        ), hex(code)
    assert (ICONS / "fonts/bootstrap-icons.purged.woff2").stat().st_size < 20_000
