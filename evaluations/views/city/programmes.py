"""The programme register: list, filters, create/edit/archive, evidence, import, export."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations import access
from evaluations.filters.city import ProgrammeFilter
from evaluations.forms.city import EvidenceForm, ProgrammeForm, ProgrammeImportForm
from evaluations.models import Evidence, ImportKind, ImportUpload, Programme
from evaluations.services import evidence as evidence_service
from evaluations.services import programmes as service
from evaluations.services.imports import import_upload_apply, import_upload_keep
from evaluations.views.city._common import (
    Workspace,
    render_ws,
    take_unsaved_post,
    workspace_view,
)
from smartcity.http import AuthenticatedHttpRequest
from smartcity.security import download_rate_limit

PAGE_SIZE = 25


def _filtered(request: HttpRequest, ws: Workspace) -> ProgrammeFilter:
    base = (
        access.region_programmes(request.user, ws.region)
        .annotate(evidence_count=Count("evidence"))
        # GROUP BY queries ignore Meta.ordering: order explicitly for stable pages.
        .order_by("dimension__order", "title", "pk")
    )
    return ProgrammeFilter(
        request.GET,
        queryset=base,
        agencies=access.region_agencies(request.user, ws.region),
        request=request,
    )


@workspace_view()
def programme_list(request: HttpRequest, ws: Workspace) -> HttpResponse:
    filterset = _filtered(request, ws)
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render_ws(
        request,
        ws,
        "evaluations/city/programmes/list.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
        nav="programmes",
    )


def _programme_form(
    request: AuthenticatedHttpRequest, ws: Workspace, programme: Programme | None
) -> HttpResponse:
    instance = programme or Programme(region=ws.region)
    kwargs: dict[str, Any] = {
        "instance": instance,
        "agencies": access.region_agencies(request.user, ws.region),
        "evidence": access.region_evidence(request.user, ws.region),
    }
    pending: list[Evidence] = []
    if request.method == "POST":
        form = ProgrammeForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            saved = evidence_service.programme_save_with_evidence(
                region=ws.region,
                programme=programme,
                values=form.programme_values(),
                by=request.user,
                attach=form.pending(),
                new_file=form.cleaned_data.get("new_file"),
                new_link=form.cleaned_data.get("new_link") or "",
            )
            messages.success(request, _("Program “%(title)s” disimpan.") % {"title": saved.title})
            return redirect("city:programme_detail", ws.region.slug, saved.pk)
        pending = form.pending()
        upload = form.cleaned_data.get("new_file")
        if upload:
            # The file itself is fine: keep it, so a mistake elsewhere does not cost the upload.
            kept = evidence_service.evidence_create_file(
                region=ws.region, upload=upload, by=request.user
            )
            form.keep_pending(kept)
            pending.append(kept)
        messages.error(request, _("Program belum disimpan. Perbaiki isian yang ditandai."))
    else:
        unsaved = take_unsaved_post(request)
        form = ProgrammeForm(unsaved, **kwargs) if unsaved else ProgrammeForm(**kwargs)
        if unsaved:
            form.is_valid()
            pending = form.pending()
    return render_ws(
        request,
        ws,
        "evaluations/city/programmes/form.html",
        {"form": form, "programme": programme, "pending_evidence": pending},
        nav="programmes",
    )


@workspace_view(methods=("GET", "POST"), keeps_unsaved=True)
def programme_create(request: AuthenticatedHttpRequest, ws: Workspace) -> HttpResponse:
    return _programme_form(request, ws, None)


@workspace_view(methods=("GET", "POST"), keeps_unsaved=True)
def programme_edit(request: AuthenticatedHttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    programme = access.get_region_programme_or_404(request.user, ws.region, pk)
    return _programme_form(request, ws, programme)


def _detail(
    request: HttpRequest, ws: Workspace, programme: Programme, evidence_form: EvidenceForm
) -> HttpResponse:
    return render_ws(
        request,
        ws,
        "evaluations/city/programmes/detail.html",
        {
            "programme": programme,
            "evidence": list(programme.evidence.all()),
            "evidence_form": evidence_form,
        },
        nav="programmes",
    )


@workspace_view()
def programme_detail(request: HttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    programme = access.get_region_programme_or_404(request.user, ws.region, pk)
    return _detail(request, ws, programme, EvidenceForm())


@workspace_view(methods=("POST",))
def programme_evidence_add(
    request: AuthenticatedHttpRequest, ws: Workspace, pk: int
) -> HttpResponse:
    programme = access.get_region_programme_or_404(request.user, ws.region, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Bukti dukung belum ditambahkan. Perbaiki isian yang ditandai."))
        return _detail(request, ws, programme, form)
    data = form.cleaned_data
    item = evidence_service.programme_evidence_add(
        programme=programme,
        by=request.user,
        upload=data["file"],
        url=data["url"],
        title=data["title"],
    )
    messages.success(request, _("Bukti dukung “%(title)s” ditambahkan.") % {"title": item.title})
    return redirect("city:programme_detail", ws.region.slug, programme.pk)


@workspace_view(methods=("POST",))
def programme_evidence_detach(
    request: AuthenticatedHttpRequest, ws: Workspace, pk: int, evidence_pk: int
) -> HttpResponse:
    programme = access.get_region_programme_or_404(request.user, ws.region, pk)
    item = get_object_or_404(
        access.region_evidence(request.user, ws.region).filter(programmes=programme),
        pk=evidence_pk,
    )
    evidence_service.programme_detach_evidence(programme=programme, evidence=item, by=request.user)
    messages.success(
        request,
        _("“%(title)s” dilepas dari program ini; berkasnya tetap ada di daftar bukti dukung.")
        % {"title": item.title},
    )
    return redirect("city:programme_detail", ws.region.slug, programme.pk)


@workspace_view(methods=("POST",))
def programme_archive(request: AuthenticatedHttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    programme = access.get_region_programme_or_404(request.user, ws.region, pk)
    service.programme_archive(programme=programme, by=request.user)
    messages.success(request, _("Program “%(title)s” diarsipkan.") % {"title": programme.title})
    return redirect("city:programme_detail", ws.region.slug, programme.pk)


@workspace_view(methods=("POST",))
def programme_restore(request: AuthenticatedHttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    programme = access.get_region_programme_or_404(request.user, ws.region, pk)
    service.programme_restore(programme=programme, by=request.user)
    messages.success(request, _("Program “%(title)s” aktif kembali.") % {"title": programme.title})
    return redirect("city:programme_detail", ws.region.slug, programme.pk)


@workspace_view(methods=("GET", "POST"))
def programme_import(request: AuthenticatedHttpRequest, ws: Workspace) -> HttpResponse:
    """Upload → preview (adds, changes, problems) → apply. Size and declared dimensions are
    checked before the file is read; the preview reads a bounded register in the request;
    applying runs as a background job, all or nothing, on the file that was previewed."""
    problems: list[service.ImportProblem] = []
    plan: service.ImportPlan | None = None
    pending: ImportUpload | None = None
    applying = request.method == "POST" and "apply" in request.POST
    form = ProgrammeImportForm(
        None if applying else (request.POST or None), None if applying else (request.FILES or None)
    )
    if applying:
        pending = get_object_or_404(
            ImportUpload.objects.pending_for(request.user),
            pk=_int_or_404(request.POST.get("upload")),
            kind=ImportKind.PROGRAMMES,
            region=ws.region,
        )
        job = import_upload_apply(
            upload=pending,
            job_kind="programmes.import",
            by=request.user,
            title=_("Impor program %(region)s") % {"region": ws.region.name},
            params={"region_id": ws.region.pk, "filename": pending.filename},
        )
        return redirect(job)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        max_mb = settings.EVIDENCE_MAX_UPLOAD_MB
        if upload.size > max_mb * 1024 * 1024:
            problems = [service.ImportProblem(_("Berkas lebih dari %(mb)s MB.") % {"mb": max_mb})]
        if not problems:
            # The file must be a workbook by its content; the preview then reads it with the
            # bounded reader (declared dimensions, real cell count, time) before any cell.
            try:
                data = service.read_upload(upload)
                plan = service.programmes_import_preview(region=ws.region, data=data)
            except service.ProgrammeImportError as error:
                problems = error.problems
            else:
                pending = import_upload_keep(
                    kind=ImportKind.PROGRAMMES,
                    data=data,
                    filename=upload.name,
                    by=request.user,
                    region=ws.region,
                )
    if problems:
        plan = None
        messages.error(
            request,
            _("Tidak ada program yang diimpor: berkas berisi %(count)s masalah.")
            % {"count": len(problems)},
        )
    return render_ws(
        request,
        ws,
        "evaluations/city/programmes/import.html",
        {
            "form": form,
            "problems": problems,
            "columns": service.COLUMNS,
            "plan": plan,
            "pending": pending,
        },
        nav="programmes",
        status=400 if problems else 200,
    )


def _int_or_404(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise Http404 from None


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@download_rate_limit
@workspace_view()
def programme_import_template(request: HttpRequest, ws: Workspace) -> HttpResponse:
    return _download(
        service.import_template_xlsx(ws.region), f"templat-program-{ws.region.slug}.xlsx", XLSX
    )


@download_rate_limit
@workspace_view()
def programme_export(request: HttpRequest, ws: Workspace, fmt: str) -> HttpResponse:
    """The register as shown by the current filters (all pages), as XLSX or CSV."""
    programmes: QuerySet[Programme] = _filtered(request, ws).qs
    stamp = timezone.localdate().isoformat()
    name = f"program-{ws.region.slug}-{stamp}"
    if fmt == "xlsx":
        return _download(service.export_xlsx(programmes), f"{name}.xlsx", XLSX)
    if fmt == "csv":
        return _download(service.export_csv(programmes), f"{name}.csv", "text/csv; charset=utf-8")
    raise Http404
