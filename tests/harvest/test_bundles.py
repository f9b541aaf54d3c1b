"""Open-data bundles: anyone asks for the ZIP of a data package, a background job builds it,
the reader watches its progress and downloads it. Every file in the ZIP has the bytes of the
matching download under /data/; a bundle is reused while the data version stands, replaced
after a publication, and never holds unpublished data."""

from __future__ import annotations

import io
import json
import posixpath
import zipfile

import pytest
from django.test import Client
from django.urls import reverse

from evaluations.harvest.bundles import BUNDLE_DATA_CHANGED
from evaluations.models import OpenDataBundle
from smartcity.jobs.models import Job, JobState
from tests.conftest import drain_queue
from tests.public import factories as pf

ALL_FILES = {
    "datapackage.json",
    "results.csv",
    "tables/dimension_scores.csv",
    "tables/component_scores.csv",
    "tables/regions.csv",
    "tables/rounds.csv",
    "tables/instruments.csv",
    "tables/rating_bands.csv",
    "tables/revisions.csv",
    "results.xlsx",
    "results.json",
}


@pytest.fixture(autouse=True)
def _readers_use_the_portals_public_address(settings):
    # The per-request downloads build their links from the request's host, a bundle from
    # PORTAL_URL: the byte comparisons below hold for readers on the public address.
    settings.PORTAL_URL = "http://testserver"


def start_url(round_=None) -> str:
    if round_ is None:
        return reverse("public:bundle_start")
    return reverse("public:round_bundle_start", kwargs={"round_slug": round_.slug})


def download(client, bundle: OpenDataBundle) -> zipfile.ZipFile:
    response = client.get(reverse("public:bundle_download", args=[bundle.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def online(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def assert_files_equal_downloads(client, archive: zipfile.ZipFile, package_url: str, extra):
    """Each resource of the descriptor, at its path in the ZIP, has the bytes served at the
    address the path names next to the online descriptor; so do the XLSX and JSON files."""
    descriptor = json.loads(archive.read("datapackage.json"))
    assert archive.read("datapackage.json") == online(client, package_url)
    base = posixpath.dirname(package_url)
    for resource in descriptor["resources"]:
        path = resource["path"]
        assert archive.read(path) == online(client, posixpath.join(base, path)), path
    for name, url in extra.items():
        assert archive.read(name) == online(client, url), name


def test_anyone_gets_the_whole_history_as_one_zip_equal_to_the_downloads(anonymous, published):
    page = anonymous.get(reverse("public:opendata")).content.decode()
    assert f'action="{start_url()}"' in page
    response = anonymous.post(start_url())
    assert response.status_code == 302
    bundle = OpenDataBundle.objects.get()
    assert response["Location"] == bundle.get_absolute_url()
    assert bundle.job.owner is None
    assert bundle.job.state == JobState.SUCCEEDED
    progress = anonymous.get(response["Location"]).content.decode()
    assert reverse("public:bundle_download", args=[bundle.pk]) in progress
    assert "100%" in progress

    archive = download(anonymous, bundle)
    assert set(archive.namelist()) == ALL_FILES
    assert_files_equal_downloads(
        anonymous,
        archive,
        reverse("public:datapackage"),
        {
            "results.xlsx": reverse("public:series", kwargs={"fmt": "xlsx"}),
            "results.json": reverse("public:series", kwargs={"fmt": "json"}),
        },
    )
    rounds = {row["round"] for row in json.loads(archive.read("results.json"))["results"]}
    assert rounds == {published.round_2023.slug, published.round_2024.slug}
    for name in archive.namelist():
        if not name.endswith(".xlsx"):  # compressed XML: its rows are checked through JSON
            assert published.hidden.slug.encode() not in archive.read(name), name


def test_a_round_bundle_holds_that_round_only(anonymous, published):
    round_ = published.round_2024
    response = anonymous.post(start_url(round_))
    bundle = OpenDataBundle.objects.get()
    assert response["Location"] == bundle.get_absolute_url()
    assert bundle.scope == round_.slug
    archive = download(anonymous, bundle)
    assert "tables/regions.csv" not in archive.namelist()
    assert "regions.csv" in archive.namelist()
    assert_files_equal_downloads(
        anonymous,
        archive,
        reverse("public:round_datapackage", kwargs={"round_slug": round_.slug}),
        {
            "results.xlsx": reverse(
                "public:export", kwargs={"round_slug": round_.slug, "fmt": "xlsx"}
            ),
            "results.json": reverse(
                "public:export", kwargs={"round_slug": round_.slug, "fmt": "json"}
            ),
        },
    )
    rounds = {row["round"] for row in json.loads(archive.read("results.json"))["results"]}
    assert rounds == {round_.slug}


def test_asking_again_reuses_the_bundle_instead_of_queueing_another(
    anonymous, published, task_queue
):
    first = anonymous.post(start_url())
    # Another reader, and the same one again, while it waits in the queue.
    second = Client().post(start_url())
    third = anonymous.post(start_url())
    assert first["Location"] == second["Location"] == third["Location"]
    assert Job.objects.count() == 1
    bundle = OpenDataBundle.objects.get()
    page = anonymous.get(bundle.get_absolute_url()).content.decode()
    assert 'data-hx-trigger="every 1s"' in page
    assert reverse("public:bundle_download", args=[bundle.pk]) not in page
    assert anonymous.get(reverse("public:bundle_download", args=[bundle.pk])).status_code == 404

    drain_queue()
    bundle.job.refresh_from_db()
    assert bundle.job.state == JobState.SUCCEEDED
    # Built: asking again still reuses it, and each round has its own.
    assert anonymous.post(start_url())["Location"] == first["Location"]
    assert anonymous.post(start_url(published.round_2024))["Location"] != first["Location"]
    assert Job.objects.count() == 2
    assert set(download(anonymous, bundle).namelist()) == ALL_FILES


def test_a_publication_retires_the_old_bundle_and_the_next_request_builds_a_new_one(
    anonymous, published
):
    old = anonymous.post(start_url())["Location"]
    old_bundle = OpenDataBundle.objects.get()
    assert download(anonymous, old_bundle)

    pf.publish(published.hidden)

    assert anonymous.get(reverse("public:bundle_download", args=[old_bundle.pk])).status_code == 404
    page = anonymous.get(old).content.decode()
    assert "Data terbuka sudah berubah" in page
    assert f'action="{start_url()}"' in page
    new = anonymous.post(start_url())["Location"]
    assert new != old
    new_bundle = OpenDataBundle.objects.get(pk=new.rstrip("/").rsplit("/", 1)[-1])
    results = json.loads(download(anonymous, new_bundle).read("results.json"))["results"]
    assert published.hidden.slug in {row["round"] for row in results}


def test_a_publication_while_the_bundle_waits_fails_it_and_a_new_request_replaces_it(
    anonymous, published, task_queue
):
    anonymous.post(start_url())
    pf.publish(published.hidden)
    drain_queue()
    stale = OpenDataBundle.objects.select_related("job").get()
    assert stale.job.state == JobState.FAILED
    assert stale.job.errors == [str(BUNDLE_DATA_CHANGED)]

    # The same version failing (e.g. a worker error) is replaced, not reused.
    anonymous.post(start_url())
    drain_queue()
    current = OpenDataBundle.objects.exclude(pk=stale.pk).select_related("job").get()
    assert current.job.state == JobState.SUCCEEDED
    failed_again = current.job
    Job.objects.filter(pk=failed_again.pk).update(state=JobState.FAILED)
    response = anonymous.post(start_url())
    drain_queue()
    replacement = OpenDataBundle.objects.get(version=current.version)
    assert replacement.job_id != failed_again.pk
    assert response["Location"] == replacement.get_absolute_url()


def test_unpublished_rounds_have_no_bundle(anonymous, published):
    response = anonymous.post(start_url(published.hidden))
    assert response.status_code == 404
    assert not Job.objects.exists()
    # A bundle asked for by GET (a link, a crawler) queues nothing.
    assert anonymous.get(start_url()).status_code == 405
    assert not Job.objects.exists()


def test_a_withdrawn_round_bundle_is_no_longer_served(anonymous, published):
    round_ = published.round_2024
    anonymous.post(start_url(round_))
    bundle = OpenDataBundle.objects.get()
    assert download(anonymous, bundle)
    pf.withdraw(round_)
    assert anonymous.get(reverse("public:bundle_download", args=[bundle.pk])).status_code == 404
    assert anonymous.post(start_url(round_)).status_code == 404


@pytest.mark.parametrize("scope", ["all", "round"])
def test_query_counts(anonymous, published, django_assert_num_queries, scope):
    round_ = published.round_2024 if scope == "round" else None
    url = anonymous.post(start_url(round_))["Location"]
    bundle = OpenDataBundle.objects.get()
    # Page: the bundle with its job and round (one join), the data version.
    with django_assert_num_queries(2):
        assert anonymous.get(url).status_code == 200
    with django_assert_num_queries(2):
        assert anonymous.get(url, headers={"HX-Request": "true"}).status_code == 200
    # Asking again: the data version, the existing bundle with its job (and the round when
    # one is named); nothing written, nothing queued.
    with django_assert_num_queries(3 if round_ else 2):
        assert anonymous.post(start_url(round_))["Location"] == url
    # Download: the bundle with its job, the data version.
    with django_assert_num_queries(2):
        download(anonymous, bundle)


def test_asking_for_bundles_shares_the_download_limit(anonymous, published, settings, task_queue):
    settings.RATELIMIT_DOWNLOADS = "3/m"
    rounds = [None, published.round_2023, published.round_2024]
    for round_ in rounds:
        assert anonymous.post(start_url(round_), REMOTE_ADDR="203.0.113.7").status_code == 302
    response = anonymous.post(start_url(published.round_2023), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429
    assert "Anda mengunduh terlalu banyak berkas" in response.content.decode()
    # At most one build per scope and data version is ever queued.
    assert Job.objects.count() == len(rounds)


def test_a_bundle_links_to_the_public_address_whoever_asked_first(published, settings):
    # The first reader came through an app server's own address (a health probe, an
    # operator on the internal network): the shared ZIP still names the public portal.
    settings.PORTAL_URL = "https://portal.example.id"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "app-2.internal"]
    internal = Client(HTTP_HOST="app-2.internal")
    response = internal.post(start_url())
    assert response.status_code == 302
    archive = download(Client(), OpenDataBundle.objects.get())
    descriptor = archive.read("datapackage.json").decode()
    assert "https://portal.example.id/" in descriptor
    assert "app-2.internal" not in descriptor
    for name in archive.namelist():
        assert b"app-2.internal" not in archive.read(name), name
