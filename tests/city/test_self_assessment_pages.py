"""Self-assessment pages: drafts, nothing lost on errors, conflicts, submit and lock."""

from __future__ import annotations

import pytest
from django.urls import reverse

from evaluations.forms.city import answer_digest
from evaluations.models import Evidence, SelfAssessmentAnswer, SelfAssessmentStatus
from evaluations.services import self_assessment as service
from tests import factories
from tests.city import factories as cf
from tests.city import files

pytestmark = pytest.mark.django_db


@pytest.fixture
def indicators(open_round):
    return list(open_round.instrument.indicators.order_by("order"))


def _section_url(region, round_, key="governance"):
    return reverse("city:self_assessment_section", args=[region.slug, round_.slug, key])


def _overview_url(region, round_):
    return reverse("city:self_assessment", args=[region.slug, round_.slug])


def _blank(indicator, **values):
    """What the page posts for an untouched, never-saved indicator, plus ``values``."""
    p = f"ind-{indicator.pk}-"
    data = {p + "version": "0", p + "original": answer_digest(None, "", []), p + "narrative": ""}
    data.update({p + k: v for k, v in values.items()})
    return data


def _page(indicators, **per_indicator):
    data = {}
    for indicator in indicators:
        data.update(_blank(indicator, **per_indicator.get(indicator.code, {})))
    return data


def test_section_shows_descriptors_and_saves_drafts(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    url = _section_url(kota_bekasi, open_round)
    page = bekasi_client.get(url).content.decode()
    assert "Deskripsi level 4" in page
    gv = indicators[:3]
    data = _page(gv, **{"GV-01": {"claimed_level": "2", "narrative": "Perwal 12/2023"}})
    response = bekasi_client.post(url, data)
    assert response.status_code == 302
    answer = SelfAssessmentAnswer.objects.get()
    assert (answer.indicator, answer.claimed_level, answer.narrative) == (
        gv[0],
        2,
        "Perwal 12/2023",
    )
    # Untouched cards were not written.
    assert SelfAssessmentAnswer.objects.count() == 1
    bekasi_part.refresh_from_db()
    assert bekasi_part.self_assessment_status == SelfAssessmentStatus.DRAFT


def test_save_and_next_goes_to_the_next_section(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    data = _page(indicators[:3])
    data["next"] = ""
    response = bekasi_client.post(_section_url(kota_bekasi, open_round), data)
    assert response["Location"] == _section_url(kota_bekasi, open_round, service.CROSS_SECTION)


def test_a_validation_error_keeps_everything_typed_and_saves_nothing(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    gv = indicators[:3]
    data = _page(
        gv,
        **{
            "GV-01": {"claimed_level": "4", "narrative": "Narasi panjang yang diketik lama"},
            "GV-02": {"new_link": "bukan alamat"},
            "GV-03": {"new_file": files.upload("laporan.pdf", files.HTML)},
        },
    )
    response = bekasi_client.post(_section_url(kota_bekasi, open_round), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Narasi panjang yang diketik lama" in page
    assert f'id="id_ind-{gv[0].pk}-claimed_level_4" checked' in page
    assert 'value="bukan alamat"' in page
    assert "isinya halaman web (HTML), bukan PDF" in page
    assert not SelfAssessmentAnswer.objects.exists()


def test_a_good_file_is_kept_and_ticked_when_another_card_has_an_error(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    gv = indicators[:3]
    data = _page(
        gv,
        **{
            "GV-01": {"claimed_level": "3", "new_file": files.pdf_upload("sk-tim.pdf")},
            "GV-02": {"new_link": "bukan alamat"},
        },
    )
    page = bekasi_client.post(_section_url(kota_bekasi, open_round), data).content.decode()
    kept = Evidence.objects.get(original_name="sk-tim.pdf")
    ticked = f'value="{kept.pk}" id="id_ind-{gv[0].pk}-evidence_0" checked'
    assert f'name="ind-{gv[0].pk}-evidence" {ticked}' in page
    # Fix the link and save: the kept file is attached to GV-01.
    data = _page(
        gv,
        **{
            "GV-01": {"claimed_level": "3", "evidence": [str(kept.pk)]},
            "GV-02": {"new_link": "https://bekasikota.go.id/sk"},
        },
    )
    assert bekasi_client.post(_section_url(kota_bekasi, open_round), data).status_code == 302
    first = SelfAssessmentAnswer.objects.get(indicator=gv[0])
    second = SelfAssessmentAnswer.objects.get(indicator=gv[1])
    assert list(first.evidence.all()) == [kept]
    assert [e.url for e in second.evidence.all()] == ["https://bekasikota.go.id/sk"]


def test_programme_evidence_can_be_picked(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    programme = factories.make_programme(kota_bekasi, title="Command Center")
    evidence = cf.make_file_evidence(kota_bekasi, "sk-cc.pdf")
    programme.evidence.add(evidence)
    page = bekasi_client.get(_section_url(kota_bekasi, open_round)).content.decode()
    assert "Command Center › sk-cc (sk-cc.pdf)" in page
    data = _page(
        indicators[:3], **{"GV-02": {"claimed_level": "3", "evidence": [str(evidence.pk)]}}
    )
    bekasi_client.post(_section_url(kota_bekasi, open_round), data)
    assert list(SelfAssessmentAnswer.objects.get().evidence.all()) == [evidence]


def test_a_stale_page_shows_a_conflict_and_keeps_the_users_text(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    colleague = factories.make_operator(kota_bekasi, "rekan")
    gv = indicators[:3]
    url = _section_url(kota_bekasi, open_round)
    bekasi_client.get(url)  # the user opens the page: nothing saved yet (version 0)
    service.answer_save(
        participation=bekasi_part,
        indicator=gv[0],
        by=colleague,
        claimed_level=1,
        narrative="versi rekan",
        expected_version=0,
    )
    data = _page(gv, **{"GV-01": {"claimed_level": "5", "narrative": "versi saya"}})
    response = bekasi_client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "sudah diubah oleh rekan" in page
    assert "versi saya" in page
    assert "versi rekan" in page
    assert SelfAssessmentAnswer.objects.get().narrative == "versi rekan"
    # Saving the re-shown page again is a deliberate overwrite.
    assert f'name="ind-{gv[0].pk}-version" value="1"' in page
    data[f"ind-{gv[0].pk}-version"] = "1"
    data[f"ind-{gv[0].pk}-original"] = answer_digest(1, "versi rekan", [])
    assert bekasi_client.post(url, data).status_code == 302
    assert SelfAssessmentAnswer.objects.get().narrative == "versi saya"


def test_an_untouched_card_does_not_clash_with_a_colleagues_newer_answer(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    colleague = factories.make_operator(kota_bekasi, "rekan")
    gv = indicators[:3]
    service.answer_save(
        participation=bekasi_part,
        indicator=gv[1],
        by=colleague,
        claimed_level=1,
        narrative="rekan",
        expected_version=0,
    )
    # Our page was loaded before: GV-02 blank at version 0; we only change GV-01.
    data = _page(gv, **{"GV-01": {"claimed_level": "2"}})
    assert bekasi_client.post(_section_url(kota_bekasi, open_round), data).status_code == 302
    assert SelfAssessmentAnswer.objects.get(indicator=gv[1]).narrative == "rekan"


def test_unknown_section_is_404(bekasi_client, kota_bekasi, open_round, bekasi_part):
    assert bekasi_client.get(_section_url(kota_bekasi, open_round, "ekonomi")).status_code == 404


def test_submit_lists_what_is_missing_with_links(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    cf.make_answer(bekasi_part, indicators[0], level=3)
    response = bekasi_client.post(
        reverse("city:self_assessment_submit", args=[kota_bekasi.slug, open_round.slug])
    )
    page = response.content.decode()
    assert "4 hal masih kurang" in page
    link = _section_url(kota_bekasi, open_round) + f"#ind-{indicators[0].pk}"
    assert f'href="{link}"' in page
    assert "Level 3 diklaim tanpa bukti dukung." in page
    cross = _section_url(kota_bekasi, open_round, service.CROSS_SECTION)
    assert f'href="{cross}#ind-{indicators[3].pk}"' in page
    bekasi_part.refresh_from_db()
    assert bekasi_part.self_assessment_status != SelfAssessmentStatus.SUBMITTED


def _complete(participation, indicators, region):
    evidence = cf.make_file_evidence(region)
    for indicator in indicators:
        cf.make_answer(participation, indicator, level=2, evidence=[evidence])


def test_submitted_self_assessment_is_locked(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    _complete(bekasi_part, indicators, kota_bekasi)
    response = bekasi_client.post(
        reverse("city:self_assessment_submit", args=[kota_bekasi.slug, open_round.slug]),
        follow=True,
    )
    assert "Penilaian mandiri terkirim" in response.content.decode()
    url = _section_url(kota_bekasi, open_round)
    page = bekasi_client.get(url).content.decode()
    assert "Jawaban terkunci" in page
    assert 'type="radio"' not in page
    assert "<textarea" not in page
    data = _page(indicators[:3], **{"GV-01": {"claimed_level": "5"}})
    data[f"ind-{indicators[0].pk}-version"] = "1"
    response = bekasi_client.post(url, data, follow=True)
    assert str(service.SELF_ASSESSMENT_LOCKED) in response.content.decode()
    assert SelfAssessmentAnswer.objects.get(indicator=indicators[0]).claimed_level == 2


def test_returned_self_assessment_shows_the_comment_and_is_editable(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    _complete(bekasi_part, indicators, kota_bekasi)
    bekasi_part.self_assessment_status = SelfAssessmentStatus.RETURNED
    bekasi_part.return_comment = "Bukti GV-02 tidak terbaca, unggah ulang."
    bekasi_part.save()
    overview = bekasi_client.get(_overview_url(kota_bekasi, open_round)).content.decode()
    assert "Bukti GV-02 tidak terbaca, unggah ulang." in overview
    assert "Kirim penilaian mandiri" in overview
    page = bekasi_client.get(_section_url(kota_bekasi, open_round)).content.decode()
    assert "Bukti GV-02 tidak terbaca" in page
    assert 'type="radio"' in page


def test_a_closed_round_is_read_only(
    bekasi_client, kota_bekasi, open_round, bekasi_part, indicators
):
    cf.make_answer(bekasi_part, indicators[0], level=4, narrative="Sudah berjalan")
    open_round.status = "review"
    open_round.save()
    page = bekasi_client.get(_section_url(kota_bekasi, open_round)).content.decode()
    assert "Sudah berjalan" in page
    assert "<textarea" not in page
