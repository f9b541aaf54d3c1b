"""`make css`, after PurgeCSS: cut the Bootstrap Icons font down to the icons the purged CSS
keeps, and point the purged CSS at that file.

The full font (2,000 icons, 134 KB in WOFF2) is fetched by every page, since the header
shows two icons: on a phone's connection it alone takes longer than the rest of a page.
The subset holds only the glyphs of the ``content: "\\f…"`` code points that
``bootstrap-icons.purged.min.css`` still has (tests/test_purged_css.py checks that every one
is in the font). Usage: ``python scripts/subset_icons.py`` from the repository root.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from fontTools import subset

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "static/vendor/bootstrap-icons-1.13.2"
FULL_FONT = ICONS / "fonts/bootstrap-icons.woff2"
PURGED_CSS = ICONS / "bootstrap-icons.purged.min.css"
SUBSET_NAME = "bootstrap-icons.purged.woff2"
CODE_POINT = re.compile(r'content:\s*"\\([0-9a-fA-F]{4,6})"')
FONT_SRC = re.compile(r"src:url\([^;}]*")


def code_points(css: str) -> list[int]:
    """The icon code points the stylesheet's rules show, in order, without repeats."""
    return sorted({int(value, 16) for value in CODE_POINT.findall(css)})


def main() -> int:
    css = PURGED_CSS.read_text(encoding="utf-8")
    wanted = code_points(css)
    if not wanted:
        print(f"{PURGED_CSS.name} has no icon rules", file=sys.stderr)
        return 1
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = []
    options.name_IDs = ["*"]  # keep the copyright and licence names
    options.notdef_outline = True
    font = subset.load_font(str(FULL_FONT), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    target = FULL_FONT.with_name(SUBSET_NAME)
    subset.save_font(font, str(target), options)
    # One WOFF2 file: every browser the portal supports reads it (no WOFF fallback needed).
    css, count = FONT_SRC.subn(f'src:url("fonts/{SUBSET_NAME}") format("woff2")', css, count=1)
    if count != 1:
        print(f"no @font-face src in {PURGED_CSS.name}", file=sys.stderr)
        return 1
    PURGED_CSS.write_text(css, encoding="utf-8")
    print(f"{target.relative_to(ROOT)}: {len(wanted)} icons, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
