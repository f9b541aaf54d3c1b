"""Instrument texts are translated per instrument version: the default instrument ships
with English for every dimension, element, indicator, level descriptor and rating band; an
English reader sees them, an Indonesian reader sees the method's own wording; and a frozen
version still takes translations while its method stays untouchable."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from evaluations import trust
from evaluations.models import Dimension, Element, Indicator, Instrument, RatingBand

pytestmark = pytest.mark.django_db


@pytest.fixture
def default_instrument() -> Instrument:
    call_command("load_reference", verbosity=0)
    return Instrument.objects.default()


@pytest.fixture
def published_default(default_instrument, manager) -> Instrument:
    """The default instrument behind a published round: its methodology is public, and the
    version is frozen."""
    from regions.models import Region
    from tests.trust.conftest import run_round

    kota_bekasi = Region.objects.get(code="32.75")  # from the reference regions
    run_round(
        regions=[kota_bekasi],
        levels={kota_bekasi.code: 4},
        manager=manager,
        year=2024,
        instrument=default_instrument,
    )
    return default_instrument


def test_the_default_instrument_has_english_for_every_text(default_instrument):
    assert default_instrument.name_en
    assert default_instrument.description_en
    indicators = list(default_instrument.indicators.all())
    assert len(indicators) == 43
    for indicator in indicators:
        texts = [indicator.name_en, indicator.description_en] + [
            getattr(indicator, f"level_{n}_en") for n in range(6)
        ]
        assert all(t.strip() for t in texts), indicator.code
        assert indicator.name_en != indicator.name
    assert all(d.name_en and d.description_en for d in Dimension.objects.all())
    assert Element.objects.count() == 18
    assert all(e.name_en and e.description_en for e in Element.objects.all())
    assert sorted(b.name_en for b in default_instrument.rating_bands.all()) == [
        "Excellent",
        "Fair",
        "Good",
        "Poor",
        "Very good",
    ]


@pytest.mark.parametrize(
    ("language", "shown", "hidden"),
    [
        (
            "en",
            [
                "Smart city masterplan updated since the previous evaluation",
                "The masterplan has never been reviewed since it was written.",
                "Public service",
                "Very good",
            ],
            ["Pemutakhiran rencana induk smart city", "Sangat Baik"],
        ),
        (
            "id",
            [
                "Pemutakhiran rencana induk smart city sejak evaluasi sebelumnya",
                "Rencana induk tidak pernah ditinjau sejak disusun.",
                "Layanan Publik",
                "Sangat Baik",
            ],
            ["Smart city masterplan updated", "Very good"],
        ),
    ],
)
def test_the_methodology_shows_instrument_texts_in_the_readers_language(
    client, published_default, language, shown, hidden
):
    default_instrument = published_default
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    url = reverse("public:methodology", args=[default_instrument.code])
    html = client.get(url).content.decode()
    for text in shown:
        assert text in html, text
    for text in hidden:
        assert text not in html, text


def test_an_indicator_without_english_falls_back_to_indonesian(client, published_default):
    default_instrument = published_default
    indicator = default_instrument.indicators.get(code="BL-02")
    Indicator.objects.filter(pk=indicator.pk).update(name_en="")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("public:methodology", args=[default_instrument.code])
    html = client.get(url).content.decode()
    assert "Tindak lanjut rekomendasi evaluasi sebelumnya" in html


def test_a_frozen_version_takes_translations_but_not_changes_to_its_method(
    published_default,
):
    default_instrument = published_default
    assert default_instrument.is_frozen
    indicator = default_instrument.indicators.get(code="OP-01")
    # A translation is not the method: it can be corrected after the freeze.
    Indicator.objects.filter(pk=indicator.pk).update(
        name_en="Regional head's regulation on smart cities", level_3_en="Corrected."
    )
    RatingBand.objects.filter(instrument=default_instrument, name="Baik").update(name_en="Good.")
    indicator.refresh_from_db()
    assert indicator.level_3_en == "Corrected."
    # The Indonesian wording, descriptors and bands are the method: refused.
    for change in (
        lambda: Indicator.objects.filter(pk=indicator.pk).update(name="Diubah"),
        lambda: Indicator.objects.filter(pk=indicator.pk).update(level_3="Diubah"),
        lambda: RatingBand.objects.filter(instrument=default_instrument).update(name="X"),
    ):
        with pytest.raises(IntegrityError, match=trust.GUARD_MESSAGE), transaction.atomic():
            change()


def test_a_new_version_keeps_the_translations(default_instrument, manager):
    from evaluations.services.instruments import instrument_duplicate

    copy = instrument_duplicate(instrument=default_instrument, by=manager)
    original = default_instrument.indicators.get(code="QW-05")
    copied = copy.indicators.get(code="QW-05")
    assert (copied.name_en, copied.level_5_en) == (original.name_en, original.level_5_en)
    assert copy.rating_bands.get(name="Kurang").name_en == "Poor"
