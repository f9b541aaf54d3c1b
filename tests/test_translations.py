"""The English interface is complete: every UI string has an English translation, and the
key pages rendered in English show no Indonesian outside the data they display.

Indonesian is the msgid language (see BRIEF/STYLE): ``locale/en/LC_MESSAGES/django.po``
holds the English. The catalogue is parsed here with a small reader of the gettext format
(entries, flags, contexts, plural forms), so the test needs no extra dependency.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

from evaluations.models import FieldReview, RoundStatus
from tests import factories
from tests.conftest import login
from tests.public.scene import make_scene
from tests.reviewer import factories as reviewer_factories

ROOT = Path(__file__).resolve().parents[1]
PO_FILE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"


# --- Reading the catalogue ----------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plural index (0 if singular) → text
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    def __str__(self) -> str:
        context = f"[{self.msgctxt}] " if self.msgctxt else ""
        return f"line {self.line}: {context}{self.msgid!r}"


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")\s*$')


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(1)), text.strip()[1:-1])


def read_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """The header (as a dict) and the entries of a .po file; obsolete (``#~``) entries are
    left out, as gettext does."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            current, target = None, None
            continue
        if line.startswith("#~"):
            continue
        if current is None:
            current = Entry(line=number)
            entries.append(current)
        if line.startswith("#,"):
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif match := _KEYWORD.match(line):
            keyword, index, text = (
                match.group(1),
                int(match.group(2) or 0),
                _unquote(match.group(3)),
            )
            target = (keyword, index)
            if keyword == "msgstr":
                current.msgstr[index] = text
            else:
                setattr(current, keyword, text)
        elif line.startswith('"') and target is not None:
            keyword, index = target
            if keyword == "msgstr":
                current.msgstr[index] += _unquote(line)
            else:
                setattr(current, keyword, getattr(current, keyword) + _unquote(line))
        else:
            raise AssertionError(f"{path.name} line {number}: cannot read {raw!r}")
    header_entry = next(e for e in entries if e.msgid == "" and e.msgctxt is None)
    entries.remove(header_entry)
    header = dict(
        line.split(": ", 1) for line in header_entry.msgstr[0].splitlines() if ": " in line
    )
    return header, entries


# Placeholders that must survive translation unchanged (the same ones, as often).
_NAMED = re.compile(r"%\([A-Za-z_]\w*\)[-#0 +]*\d*(?:\.\d+)?[sdifrx]")
_POSITIONAL = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdifrx%]")
_BRACES = re.compile(r"\{[A-Za-z_]?\w*\}")
_TAGS = re.compile(r"</?[A-Za-z][^>]*>")


def placeholders(text: str, flags: set[str]) -> list[str]:
    found = _NAMED.findall(text) + _BRACES.findall(text) + _TAGS.findall(text)
    if "python-format" in flags:
        found += _POSITIONAL.findall(_NAMED.sub("", text))
    return sorted(found)


@pytest.fixture(scope="module")
def catalogue() -> tuple[dict[str, str], list[Entry]]:
    return read_po(PO_FILE)


def test_the_catalogue_reader_understands_the_gettext_format(tmp_path):
    po = tmp_path / "x.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n'
        '#: a.py\n#, fuzzy, python-format\nmsgctxt "c"\nmsgid ""\n"Dua "\n"baris"\n'
        'msgstr "Two lines"\n\n'
        'msgid "%(n)s hari"\nmsgid_plural "%(n)s hari"\nmsgstr[0] "%(n)s day"\n'
        'msgstr[1] ""\n\n#~ msgid "lama"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, entries = read_po(po)
    assert header["Language"] == "en"
    assert [(e.msgctxt, e.msgid, e.flags) for e in entries] == [
        ("c", "Dua baris", {"fuzzy", "python-format"}),
        (None, "%(n)s hari", set()),
    ]
    assert entries[1].msgstr == {0: "%(n)s day", 1: ""}
    assert placeholders("%(n)s of %d, {x} <b>50%%</b>", {"python-format"}) == sorted(
        ["%(n)s", "%d", "%%", "{x}", "<b>", "</b>"]
    )


def test_the_english_catalogue_is_complete(catalogue):
    header, entries = catalogue
    assert header["Language"] == "en"
    nplurals = int(re.search(r"nplurals=(\d+)", header["Plural-Forms"]).group(1))
    assert len(entries) > 1000, "the catalogue lost most of its entries"
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    untranslated = [str(e) for e in entries if not all(s.strip() for s in e.msgstr.values())]
    wrong_plurals = [
        str(e)
        for e in entries
        if sorted(e.msgstr) != (list(range(nplurals)) if e.msgid_plural is not None else [0])
    ]
    assert not fuzzy, "fuzzy entries (check, fix, remove the flag):\n" + "\n".join(fuzzy)
    assert not untranslated, "entries without English:\n" + "\n".join(untranslated)
    assert not wrong_plurals, f"entries without {nplurals} plural forms:\n" + "\n".join(
        wrong_plurals
    )


def test_translations_keep_every_placeholder_and_tag(catalogue):
    _, entries = catalogue
    problems = []
    for e in entries:
        for index, text in e.msgstr.items():
            source = e.msgid_plural if index and e.msgid_plural is not None else e.msgid
            want, got = placeholders(source, e.flags), placeholders(text, e.flags)
            if want != got:
                problems.append(f"{e} [{index}]: expected {want}, got {got}")
    assert not problems, "\n".join(problems)


def test_the_catalogue_compiles_cleanly():
    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("gettext (msgfmt) is not installed")
    done = subprocess.run(  # noqa: S603
        [msgfmt, "--check", "--statistics", "-o", "/dev/null", str(PO_FILE)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "untranslated" not in done.stderr, done.stderr
    assert "fuzzy" not in done.stderr, done.stderr


def _makefile_ignores() -> list[str]:
    """The directories `make makemessages` skips (I18N_IGNORE in the Makefile)."""
    makefile = (ROOT / "Makefile").read_text()
    block = re.search(r"^I18N_IGNORE\s*:=((?:.*\\\n)*.*)$", makefile, re.M)
    assert block, "I18N_IGNORE is no longer in the Makefile"
    return re.findall(r"--ignore='?([^'\s\\]+)'?", block.group(1))


def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """`make makemessages` would add nothing: no UI string is missing from the catalogue.

    Runs makemessages on a copy of the source tree (the Makefile's ignore rules) into an empty
    locale directory and compares the msgids; the working tree is left untouched.
    """
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("gettext (xgettext, msgmerge) is not installed")
    ignores = _makefile_ignores()
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(*ignores, "locale", "__pycache__", "*.sqlite3*", "*.mo"),
        symlinks=True,
    )
    (tree / "locale").mkdir()
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "en",
            "--no-obsolete",
            *[f"--ignore={pattern}" for pattern in ignores],
        ],
        cwd=tree,
        # The copy's own settings, so its LOCALE_PATHS (and nothing of the working tree) is used.
        env={**os.environ, "PYTHONPATH": str(tree)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    _, fresh = read_po(tree / "locale" / "en" / "LC_MESSAGES" / "django.po")
    _, ours = read_po(PO_FILE)
    known = {e.key for e in ours}
    missing = [str(e) for e in fresh if e.key not in known]
    assert not missing, (
        "UI strings missing from the English catalogue; run `make makemessages` and translate "
        "them in locale/en/LC_MESSAGES/django.po:\n" + "\n".join(missing)
    )


# --- Pages rendered in English ----------

# Indonesian words of the interface that no English page should show once the data values
# on it are set aside (case-insensitive, whole words).
TELLTALE = [
    "Beranda", "Peringkat", "Penilaian mandiri", "Penilaian", "Simpan", "Wilayah", "Masuk",
    "Keluar", "Putaran", "Indeks", "Dimensi", "Komponen", "Unduh", "Hasil", "Bukti dukung",
    "Tinjauan lapangan", "Peserta", "Penilai", "Belum", "Sudah", "yang", "dan", "untuk",
    "dengan", "tidak", "dari", "atau", "Lihat", "Tambah", "Ubah", "Hapus", "Halaman",
    "Metodologi", "Bandingkan", "Peta", "Predikat", "Bobot", "Skor", "Tahun", "Provinsi",
    "Nasional", "Ruang kerja", "Dasbor", "Kembali", "Batas", "Pilih", "Tautan", "Berkas",
    "Jejak navigasi", "Evaluasi", "Tahap", "Sebelumnya", "Berikutnya", "Ganti", "Bahasa",
]  # fmt: skip
_TELLTALE = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in TELLTALE) + r")\b", re.I)

# Text that stays Indonesian in English on purpose: names of things, not interface.
PROPER_NAMES = [
    "Bahasa Indonesia",  # each language is offered in its own name
    "cahyadsn/wilayah",  # the source data set credited in the footer
]

# Attributes a reader sees or hears (tooltips, labels read by screen readers, confirmations).
_SHOWN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "data-confirm"}


class _VisibleText(HTMLParser):
    """The text of a page as a reader meets it: text nodes outside script and style, the
    attributes above, button values and the page description."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self.skip += 1
        for name in _SHOWN_ATTRIBUTES & attributes.keys():
            self.parts.append(attributes[name] or "")
        if tag == "input" and attributes.get("type") in ("submit", "button"):
            self.parts.append(attributes.get("value") or "")
        if tag == "meta" and attributes.get("name") == "description":
            self.parts.append(attributes.get("content") or "")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def data_values() -> list[str]:
    """Every stored text of the portal's own models (names, titles, findings, …): a page may
    show them as they are, in either language. Choice fields are codes, not text."""
    values: set[str] = set()
    for label in ("regions", "evaluations", "auth"):
        for model in apps.get_app_config(label).get_models():
            names = [
                f.name
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField) and not f.choices
            ]
            for row in model._default_manager.values_list(*names) if names else []:
                values.update(str(v) for v in row if v)
    return sorted((v for v in values if len(v) >= 3), key=len, reverse=True)


def leftover_indonesian(html: str) -> list[str]:
    """Tell-tale words left once data values and proper names are taken out, each with the
    text around it (``word: …context…``)."""
    text = visible_text(html)
    for value in [*data_values(), *PROPER_NAMES]:
        text = text.replace(" ".join(value.split()), " ")
    return sorted(
        {
            f"{m.group(0)}: …{text[max(m.start() - 40, 0) : m.end() + 40]}…"
            for m in _TELLTALE.finditer(text)
        },
        key=str.lower,
    )


def words(leftovers: list[str]) -> set[str]:
    return {item.split(":", 1)[0] for item in leftovers}


@dataclass
class Portal:
    """A portal with published results, an open self-assessment and a review under way."""

    region: str  # Kota Bekasi's slug
    published_round: str
    open_round: str
    review_round: str
    review_participation: int  # Kota Bekasi in the review round, ``reviewer`` leads its panel
    instrument: str


@pytest.fixture
def portal(kota_bekasi, kota_bandung, reviewer) -> Portal:
    instrument = factories.make_instrument(code="instrumen-2024", is_default=True)
    scene = make_scene(instrument, kota_bekasi, kota_bandung)
    today = date.today()
    open_round = factories.make_round(
        instrument=instrument,
        year=today.year + 1,
        phase=1,
        status=RoundStatus.SELF_ASSESSMENT,
        self_assessment_opens=today - timedelta(days=3),
        self_assessment_closes=today + timedelta(days=10),
        review_ends=today + timedelta(days=60),
    )
    bekasi_open = factories.make_participation(open_round, kota_bekasi)
    factories.make_participation(open_round, kota_bandung)
    FieldReview.objects.create(
        participation=bekasi_open,
        start_date=today + timedelta(days=20),
        end_date=today + timedelta(days=21),
        location="Kantor Wali Kota",
    )
    review_round = factories.make_round(
        instrument=instrument, year=today.year + 1, phase=2, status=RoundStatus.REVIEW
    )
    bekasi_review = factories.make_participation(review_round, kota_bekasi)
    factories.assign(bekasi_review, reviewer, lead=True)
    factories.assign(factories.make_participation(review_round, kota_bandung), reviewer)
    reviewer_factories.add_answers(bekasi_review)
    for n in range(3):
        factories.make_programme(kota_bekasi, title=f"Program Uji {n}", is_quick_win=n == 0)
    factories.make_agency(kota_bekasi)
    return Portal(
        region=kota_bekasi.slug,
        published_round=scene.round_2024.slug,
        open_round=open_round.slug,
        review_round=review_round.slug,
        review_participation=bekasi_review.pk,
        instrument=instrument.code,
    )


def _pages(p: Portal) -> dict[str, tuple[str | None, str]]:
    """Page name → (who is logged in, URL)."""
    public_round, city = [p.published_round], [p.region]
    return {
        "home": (None, reverse("public:home")),
        "rankings": (None, reverse("public:rankings", args=public_round)),
        "rankings by province": (None, reverse("public:rankings_provinces", args=public_round)),
        "rankings by score": (None, reverse("public:rankings_metrics", args=public_round)),
        "region profile": (None, reverse("public:region", args=city)),
        "methodology": (None, reverse("public:methodology", args=[p.instrument])),
        "open data": (None, reverse("public:opendata")),
        "map": (None, reverse("public:map")),
        "compare": (None, reverse("public:compare")),
        "login": (None, reverse("login")),
        "city dashboard": ("bekasi", reverse("city:dashboard", args=city)),
        "city rounds": ("bekasi", reverse("city:rounds", args=city)),
        "programme register": ("bekasi", reverse("city:programme_list", args=city)),
        "self-assessment": ("bekasi", reverse("city:self_assessment", args=[*city, p.open_round])),
        "self-assessment section": (
            "bekasi",
            reverse("city:self_assessment_section", args=[*city, p.open_round, "governance"]),
        ),
        "city field review": ("bekasi", reverse("city:field_review", args=[*city, p.open_round])),
        "city result": ("bekasi", reverse("city:result_detail", args=city + public_round)),
        "evidence": ("bekasi", reverse("city:evidence_list", args=city)),
        "reviewer assignments": ("reviewer", reverse("reviewer:assignments")),
        "reviewer scoring": (
            "reviewer",
            reverse("reviewer:participation", args=[p.review_participation]),
        ),
        "review panel": ("reviewer", reverse("reviewer:panel", args=[p.review_participation])),
        "manager rounds": ("manager", reverse("reviewer:rounds")),
        "manager round": ("manager", reverse("reviewer:round", args=[p.review_round])),
        "manager results": ("manager", reverse("reviewer:results", args=public_round)),
    }


PAGES = list(_pages(Portal("r", "s", "o", "v", 1, "i")))


# (Not "page": pytest-playwright owns that fixture name.)
@pytest.mark.parametrize("page_name", PAGES)
def test_key_pages_in_english_show_no_indonesian_interface(
    page_name, portal, client, bekasi, reviewer, manager
):
    username, url = _pages(portal)[page_name]
    if username:
        login(client, {"bekasi": bekasi, "reviewer": reviewer, "manager": manager}[username])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "en"
    assert leftover_indonesian(response.content.decode()) == []


def test_the_same_pages_in_indonesian_trip_the_check(portal, client, bekasi):
    """The check above can fail: the default (Indonesian) pages are full of tell-tale words."""
    home = client.get(reverse("public:home")).content.decode()
    assert {"Beranda", "Peringkat", "Masuk"} <= words(leftover_indonesian(home))
    login(client, bekasi)
    dashboard = client.get(reverse("city:dashboard", args=[portal.region])).content.decode()
    assert {"Penilaian mandiri", "Keluar", "Dasbor"} <= words(leftover_indonesian(dashboard))
