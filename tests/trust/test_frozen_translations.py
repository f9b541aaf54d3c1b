"""A frozen instrument version still takes English translations in the admin (issue 16):
a round manager adds or corrects the ``*_en`` texts of the version, its indicators and its
bands; everything else stays as published, whatever the form posts, the ORM or raw SQL
tries; every change is in the history; reviewers only read; published figures never move."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from evaluations import trust
from evaluations.models import Indicator, Instrument, RatingBand, Result
from tests.conftest import login
from tests.trust.conftest import run_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(instrument, kota_bekasi, manager) -> Instrument:
    """The test instrument behind a published round: frozen, its methodology public."""
    run_round(regions=[kota_bekasi], levels={kota_bekasi.code: 4}, manager=manager, year=2026)
    instrument.refresh_from_db()
    assert instrument.is_frozen
    return instrument


def _admin(name: str, view: str, *args) -> str:
    return reverse(f"admin:evaluations_{name}_{view}", args=args)


class _FormValues(HTMLParser):
    """What a browser would post back from the page's change form, unchanged."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[name] = a.get("value") or ("on" if a.get("type") == "checkbox" else "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = ""
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.data[self._textarea] += (
                data.lstrip("\n") if not self.data[self._textarea] else data
            )


def form_values(client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    parser = _FormValues()
    parser.feed(page.content.decode())
    parser.data.pop("csrfmiddlewaretoken", None)
    return parser.data


def _method(instrument: Instrument) -> tuple:
    """Everything of a version that is its method or its published Indonesian wording."""
    own = Instrument.objects.filter(pk=instrument.pk).values_list(
        "code",
        "name",
        "year",
        "description",
        "is_default",
        *[f"weight_{c}" for c in ("baseline", "output", "outcome", "impact", "quick_win")],
    )
    indicators = (
        Indicator.objects.filter(instrument=instrument)
        .order_by("pk")
        .values_list(
            "pk",
            "code",
            "name",
            "description",
            "component",
            "dimension_id",
            "element_id",
            "weight",
            "order",
            *[f"level_{n}" for n in range(6)],
        )
    )
    bands = (
        RatingBand.objects.filter(instrument=instrument)
        .order_by("pk")
        .values_list("pk", "name", "min_index")
    )
    return (list(own), list(indicators), list(bands))


def _figures() -> list[tuple]:
    return list(
        Result.objects.order_by("pk").values_list("pk", "index", "rating_band", "national_rank")
    )


def test_a_manager_translates_a_frozen_version_and_english_readers_see_it(client, manager, frozen):
    method, figures = _method(frozen), _figures()
    indicator = frozen.indicators.order_by("order", "code").first()
    band = frozen.rating_bands.get(name="Baik")
    login(client, manager)

    # The version's page: its own English texts and its bands' English names (inline).
    url = _admin("instrument", "change", frozen.pk)
    page = client.get(url).content.decode()
    assert 'name="_save"' in page
    assert 'name="name_en"' in page
    assert 'name="weight_baseline"' not in page
    assert "hanya teks bahasa Inggrisnya yang dapat diubah" in page
    data = form_values(client, url)
    data["name_en"] = "Test instrument"
    data["description_en"] = "How cities were measured."
    band_prefix = next(k for k, v in data.items() if k.endswith("-id") and v == str(band.pk))
    data[band_prefix.removesuffix("id") + "name_en"] = "Good (corrected)"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    # An indicator's page: its name, explanation and six level descriptors in English.
    url = _admin("indicator", "change", indicator.pk)
    data = form_values(client, url)
    assert "weight" not in data
    assert "level_3" not in data
    data.update(name_en="Smart city regulation", level_3_en="A regulation is in force.")
    assert client.post(url, data).status_code == 302

    frozen.refresh_from_db()
    indicator.refresh_from_db()
    band.refresh_from_db()
    assert (frozen.name_en, frozen.description_en) == (
        "Test instrument",
        "How cities were measured.",
    )
    assert (indicator.name_en, indicator.level_3_en) == (
        "Smart city regulation",
        "A regulation is in force.",
    )
    assert band.name_en == "Good (corrected)"
    # The method and every published figure are as they were.
    assert _method(frozen) == method
    assert _figures() == figures

    # Recorded: who changed what, in the rows' history and in the admin's log.
    latest = frozen.history.latest()
    assert (latest.history_type, latest.history_user, latest.name_en) == (
        "~",
        manager,
        "Test instrument",
    )
    assert indicator.history.latest().history_user == manager
    assert band.history.latest().name_en == "Good (corrected)"
    logged = LogEntry.objects.filter(user=manager).values_list("object_id", "change_message")
    assert {pk for pk, _ in logged} >= {str(frozen.pk), str(indicator.pk)}
    assert client.get(_admin("instrument", "history", frozen.pk)).status_code == 200

    # An English reader of the public methodology sees the corrected texts.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(reverse("public:methodology", args=[frozen.code])).content.decode()
    for text in (
        "Test instrument",
        "Smart city regulation",
        "A regulation is in force.",
        "Good (corrected)",
    ):
        assert text in html, text


def test_a_tampered_form_changes_nothing_but_translations(client, manager, frozen):
    method, figures = _method(frozen), _figures()
    indicators, bands = frozen.indicators.count(), frozen.rating_bands.count()
    login(client, manager)

    url = _admin("instrument", "change", frozen.pk)
    data = form_values(client, url)
    data.update(
        code="diubah",
        name="Diubah",
        year="1999",
        description="Diubah",
        is_default="on",
        weight_baseline="50",
        weight_output="0",
        name_en="Translated",
    )
    # Inline rows: a band's threshold and name, a deletion, a new band and a new indicator.
    assert {"rating_bands-0-id", "indicators-0-id", "rating_bands-TOTAL_FORMS"} <= set(data)
    data.update(
        {
            "rating_bands-0-min_index": "0.10",
            "rating_bands-0-name": "X",
            "rating_bands-0-DELETE": "on",
        }
    )
    data["rating_bands-TOTAL_FORMS"] = str(bands + 1)
    data.update({f"rating_bands-{bands}-name": "Baru", f"rating_bands-{bands}-min_index": "0.5"})
    data["indicators-0-weight"] = "9"
    data["indicators-0-DELETE"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302

    url = _admin("indicator", "change", frozen.indicators.order_by("pk").first().pk)
    data = form_values(client, url)
    data.update(
        name="Diubah",
        weight="9",
        level_3="Diubah",
        component="impact",
        code="X-99",
        instrument=str(frozen.pk),
        name_en="Indicator (en)",
    )
    assert client.post(url, data).status_code == 302
    band = frozen.rating_bands.order_by("pk").first()
    url = _admin("ratingband", "change", band.pk)
    data = form_values(client, url)
    data.update(name="Diubah", min_index="0.01", name_en="Band (en)")
    assert client.post(url, data).status_code == 302

    assert _method(frozen) == method
    assert _figures() == figures
    assert (frozen.indicators.count(), frozen.rating_bands.count()) == (indicators, bands)
    frozen.refresh_from_db()
    band.refresh_from_db()
    assert frozen.name_en == "Translated"
    assert band.name_en == "Band (en)"
    assert frozen.indicators.order_by("pk").first().name_en == "Indicator (en)"
    # Nor can they be deleted or given new parts.
    assert (
        client.post(_admin("instrument", "delete", frozen.pk), {"post": "yes"}).status_code == 403
    )
    assert client.post(_admin("ratingband", "delete", band.pk), {"post": "yes"}).status_code == 403


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("instrument", "name", "'Diubah'"),
        ("instrument", "description", "'Diubah'"),
        ("instrument", "year", "1999"),
        ("instrument", "code", "'diubah'"),
        ("instrument", "weight_baseline", "weight_baseline"),
        ("indicator", "name", "'Diubah'"),
        ("indicator", "level_3", "'Diubah'"),
        ("indicator", "weight", "weight"),
        ("ratingband", "name", "name || '!'"),
        ("ratingband", "min_index", "min_index"),
    ],
)
def test_the_database_refuses_every_method_column_even_unchanged(frozen, table, column, value):
    key = "id" if table == "instrument" else "instrument_id"
    with (
        pytest.raises(IntegrityError, match=trust.GUARD_MESSAGE),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            f"UPDATE evaluations_{table} SET {column} = {value} WHERE {key} = %s",  # noqa: S608
            [frozen.pk],
        )


def test_the_database_takes_translations_and_the_orm_meets_the_same_guard(frozen):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE evaluations_instrument SET name_en = 'Raw', description_en = 'Raw' "
            "WHERE id = %s",
            [frozen.pk],
        )
        cursor.execute(
            "UPDATE evaluations_indicator SET level_0_en = 'Raw' WHERE instrument_id = %s",
            [frozen.pk],
        )
    frozen.refresh_from_db()
    assert frozen.name_en == "Raw"
    frozen.name = "Diubah"
    with pytest.raises(IntegrityError, match=trust.GUARD_MESSAGE), transaction.atomic():
        frozen.save()
    with pytest.raises(IntegrityError, match=trust.GUARD_MESSAGE), transaction.atomic():
        Instrument.objects.filter(pk=frozen.pk).update(year=1999)
    frozen.name_en = "Saved with update_fields"
    frozen.save(update_fields=["name_en"])


def test_a_reviewer_reads_the_frozen_version_but_cannot_translate_it(client, reviewer, frozen):
    login(client, reviewer)
    indicator = frozen.indicators.first()
    for name, obj in (("instrument", frozen), ("indicator", indicator)):
        url = _admin(name, "change", obj.pk)
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert "hanya teks bahasa Inggrisnya yang dapat diubah" not in page.content.decode()
        assert 'name="name_en"' not in page.content.decode()
        assert client.post(url, {"name_en": "Reviewer's words"}).status_code == 403
    frozen.refresh_from_db()
    indicator.refresh_from_db()
    assert "Reviewer's words" not in (frozen.name_en, indicator.name_en)


def test_a_draft_version_stays_editable_in_full(client, manager, instrument):
    assert not instrument.is_frozen
    login(client, manager)
    url = _admin("instrument", "change", instrument.pk)
    data = form_values(client, url)
    assert "weight_baseline" in data
    data.update(name="Instrumen baru", weight_baseline="20", weight_output="10")
    assert client.post(url, data).status_code == 302
    instrument.refresh_from_db()
    assert (instrument.name, instrument.weight_baseline) == ("Instrumen baru", 20)


def test_the_first_correction_of_a_row_loaded_without_history_keeps_the_replaced_text(
    client, manager, frozen
):
    # load_reference loads the default instrument with loaddata, whose raw saves leave no
    # history: the text a correction replaces must still be on record.
    frozen.name_en = "Old English name"
    Instrument.objects.filter(pk=frozen.pk).update(name_en="Old English name")
    frozen.history.all().delete()
    login(client, manager)
    url = _admin("instrument", "change", frozen.pk)
    data = form_values(client, url)
    data["name_en"] = "New English name"
    assert client.post(url, data).status_code == 302
    records = list(frozen.history.order_by("history_date").values_list("name_en", "history_user"))
    assert records == [("Old English name", None), ("New English name", manager.pk)]


@pytest.mark.parametrize(
    ("model", "table", "unguarded"),
    [
        # Whether a version is the default for new rounds, and which it was copied from, are
        # not part of the method a published figure cites.
        (Instrument, "evaluations_instrument", {"is_default", "derived_from"}),
        (Indicator, "evaluations_indicator", set()),
        (RatingBand, "evaluations_ratingband", set()),
    ],
)
def test_what_the_admin_keeps_read_only_the_database_guards(model, table, unguarded):
    # The admin derives a frozen version's read-only fields from the model; the triggers
    # list their columns by hand: a new method column must be in both.
    from evaluations.admin.instruments import method_fields

    guarded = next(
        {c.strip().strip('"') for c in columns.split(",")}
        for name, on, _events, columns, _old, _new in trust.GUARDS
        if on == table and name.startswith("trust_frozen_")
    )
    columns = {model._meta.get_field(f).column for f in method_fields(model)}
    unguarded_columns = {model._meta.get_field(f).column for f in unguarded}
    assert columns - unguarded_columns <= guarded
    assert not {c for c in guarded if c.endswith("_en")}
