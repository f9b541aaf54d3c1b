"""Open-data bundles for anyone: ask for the ZIP of a data package, watch it being built,
download it (``evaluations.harvest.bundles``). No sign-in; the request shares the download
rate limit, and a bundle that exists or is being built for the current data version is
reused, so readers cannot flood the queue."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from evaluations.caching import data_version
from evaluations.harvest.bundles import bundle_request
from evaluations.models import OpenDataBundle
from evaluations.selectors import public as public_reads
from smartcity.http import HtmxHttpRequest
from smartcity.security import download_rate_limit


def _get_bundle(pk: str) -> OpenDataBundle:
    return get_object_or_404(OpenDataBundle.objects.select_related("job", "round"), pk=pk)


@download_rate_limit
@require_POST
def bundle_start(request: HttpRequest, round_slug: str | None = None) -> HttpResponse:
    """Start (or reuse) the bundle of every published round, or of one, and go to its page."""
    round_ = public_reads.get_public_round_or_404(round_slug) if round_slug else None
    # A bundle is shared by every reader of a data version, whichever address or app server
    # they came through: its links start with PORTAL_URL, never the first requester's host.
    bundle = bundle_request(
        round_=round_, version=data_version(request), base_url=settings.PORTAL_URL
    )
    return redirect(bundle)


@never_cache
@require_safe
def bundle_detail(request: HtmxHttpRequest, pk: str) -> HttpResponse:
    """The progress page: polls its status fragment (htmx) until the ZIP is ready. A bundle
    of an older data version says so and offers the current one."""
    bundle = _get_bundle(pk)
    context = {
        "bundle": bundle,
        "job": bundle.job,
        "current": bundle.version == data_version(request),
    }
    template = "public/bundle.html#status" if request.htmx else "public/bundle.html"
    return render(request, template, context)


@download_rate_limit
@require_safe
def bundle_download(request: HttpRequest, pk: str) -> FileResponse:
    """The ZIP, only while its data version is the current one: after a publication or a
    re-opening it is gone (a re-opened round's rows must not stay downloadable)."""
    bundle = _get_bundle(pk)
    job = bundle.job
    if not job.has_result_file or bundle.version != data_version(request):
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.result_name or cast(str, job.result_file.name).rsplit("/", 1)[-1],
        content_type="application/zip",
    )
