"""The region's evidence library: upload, list, download, delete."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from evaluations import access
from evaluations.forms.city import EvidenceForm
from evaluations.services import evidence as service
from evaluations.views import evidence_pages as evidence_pages_view
from evaluations.views.city._common import Workspace, render_ws, workspace_view
from smartcity.http import AuthenticatedHttpRequest
from smartcity.security import download_rate_limit, preview_rate_limit

PAGE_SIZE = 30


@workspace_view(methods=("GET", "POST"))
def evidence_list(request: AuthenticatedHttpRequest, ws: Workspace) -> HttpResponse:
    form = EvidenceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if data["file"]:
                item = service.evidence_create_file(
                    region=ws.region, upload=data["file"], by=request.user, title=data["title"]
                )
            else:
                item = service.evidence_create_link(
                    region=ws.region, url=data["url"], by=request.user, title=data["title"]
                )
            messages.success(
                request, _("Bukti dukung “%(title)s” disimpan.") % {"title": item.title}
            )
            return redirect("city:evidence_list", ws.region.slug)
        messages.error(request, _("Bukti dukung belum disimpan. Perbaiki isian yang ditandai."))
    evidence = (
        access.region_evidence(request.user, ws.region)
        .select_related("uploaded_by")
        .annotate(programme_count=Count("programmes", distinct=True))
        .annotate(answer_count=Count("answers", distinct=True))
        .order_by("-created_at", "-pk")
    )
    page = Paginator(evidence, PAGE_SIZE).get_page(request.GET.get("page"))
    return render_ws(
        request,
        ws,
        "evaluations/city/evidence/list.html",
        {"form": form, "page": page, "max_mb": settings.EVIDENCE_MAX_UPLOAD_MB},
        nav="evidence",
    )


@download_rate_limit
@workspace_view()
def evidence_download(request: HttpRequest, ws: Workspace, pk: int) -> HttpResponseBase:
    """Stream a file only to members of its region (``access.visible_evidence``)."""
    item = access.get_region_evidence_or_404(request.user, ws.region, pk)
    if item.is_link:
        return redirect(item.url)
    # ?preview=1: the same file, same rights, shown inline in the sandboxed preview frame.
    if request.GET.get("preview") and service.can_preview(item):
        return service.evidence_preview_response(item)
    return service.evidence_response(item)


@workspace_view()
def evidence_pages(request: HttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    """The first pages of one of the region's PDFs as images (the evidence picker's
    preview): rendered by a job on the first request; the panel polls until ready."""
    item = access.get_region_evidence_or_404(request.user, ws.region, pk)
    return evidence_pages_view.pages_panel(
        request,
        evidence=item,
        pages_url=ws.url("evidence_pages", item.pk),
        page_url=lambda n: ws.url("evidence_page", item.pk, n),
        download_url=ws.url("evidence_download", item.pk),
        layout="evaluations/city/base.html",
        context={"ws": ws, "region": ws.region, "nav": "evidence"},
    )


@preview_rate_limit
@workspace_view()
def evidence_page(request: HttpRequest, ws: Workspace, pk: int, number: int) -> HttpResponseBase:
    """One page image of a PDF's preview, to members of its region only."""
    item = access.get_region_evidence_or_404(request.user, ws.region, pk)
    return evidence_pages_view.page_image(item, number)


@workspace_view(methods=("POST",))
def evidence_delete(request: AuthenticatedHttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    item = access.get_region_evidence_or_404(request.user, ws.region, pk)
    try:
        service.evidence_delete(evidence=item, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Bukti dukung “%(title)s” dihapus.") % {"title": item.title})
    return redirect("city:evidence_list", ws.region.slug)
