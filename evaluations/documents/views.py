"""Official documents: a round's letterhead and letters (managers), issuing minutes (panel
lead), downloads (managers, panels, the region's own staff) and public verification."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from evaluations import access
from evaluations.documents import access as doc_access
from evaluations.documents import services
from evaluations.documents.forms import LETTERHEAD_FIELDS, LetterheadForm, MinutesIssueForm
from evaluations.documents.jobs import LETTERS_ZIP, NO_LETTERS
from evaluations.documents.models import Document, DocumentKind, Letterhead
from evaluations.documents.rendering import stated_content
from evaluations.documents.selectors import document_status, round_document_summary
from evaluations.views.city._common import Workspace, render_ws, workspace_view
from evaluations.views.reviewer._common import manager_required, report_errors, reviewer_required
from smartcity.http import AuthenticatedHttpRequest
from smartcity.jobs.services import job_start
from smartcity.security import download_rate_limit

PAGE_SIZE = 50


def pdf_response(request: HttpRequest, document: Document) -> HttpResponse:
    response = HttpResponse(services.document_pdf(document), content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{document.filename}"'
    return response


# --- Round managers --------------------------------------------------------------------------


def _letterhead_initial(round_: Any) -> dict[str, Any]:
    """The round's letterhead, else the newest one of any round (managers rarely change it)."""
    current = (
        Letterhead.objects.current_for(round_)
        or Letterhead.objects.order_by("-created_at", "-pk").first()
    )
    if current is None:
        return {}
    return {name: getattr(current, name) for name in LETTERHEAD_FIELDS}


@manager_required
def round_documents(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The round's letterhead (a new version on save) and its issued documents."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    posted = request.method == "POST"
    form = LetterheadForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        initial=_letterhead_initial(round_),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.letterhead_set(
                    round=round_, by=request.user, logo=form.logo_bytes(), **form.values()
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error("logo_file", exc)
            else:
                messages.success(request, _("Kop surat tersimpan sebagai versi baru."))
                return redirect("documents:round", slug=round_.slug)
        status = 400
    documents = (
        Document.objects.with_context()
        .filter(participation__round=round_)
        .order_by("kind", "participation__region__code", "-issued_at")
    )
    page = Paginator(documents, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "documents/round.html",
        {
            "round": round_,
            "form": form,
            "letterhead": Letterhead.objects.current_for(round_),
            "page": page,
            "summary": round_document_summary(round_),
        },
        status=status,
    )


@manager_required
@require_POST
def letters_issue(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    round_ = access.get_manager_round_or_404(request.user, slug)
    try:
        issued = services.letters_issue(round=round_, by=request.user)
    except ValidationError as exc:
        report_errors(request, exc)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)s surat hasil diterbitkan.",
                "%(count)s surat hasil diterbitkan.",
                len(issued),
            )
            % {"count": len(issued)},
        )
    return redirect("documents:round", slug=round_.slug)


@manager_required
@require_POST
def letters_zip(request: HttpRequest, slug: str) -> HttpResponse:
    """Start the background job that packs every current letter of the round in a ZIP."""
    round_ = access.get_manager_round_or_404(request.user, slug)
    if not Document.objects.filter(participation__round=round_, kind=DocumentKind.LETTER).exists():
        messages.error(request, str(NO_LETTERS))
        return redirect("documents:round", slug=round_.slug)
    job = job_start(
        kind=LETTERS_ZIP,
        owner=request.user,
        title=_("Semua surat hasil %(round)s (ZIP)") % {"round": round_.name},
        params={"round_id": round_.pk},
    )
    return redirect(job)


# --- Reviewers (panel lead issues the minutes) ------------------------------------------------


@reviewer_required
def minutes_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue the field-review minutes: choose the region's signatory, then a number."""
    participation = access.get_reviewer_participation_or_404(request.user, pk)
    if not doc_access.can_issue_minutes(request.user, participation):
        raise PermissionDenied
    attendees = services.minutes_signatory_choices(participation)
    form = MinutesIssueForm(request.POST if request.method == "POST" else None, attendees=attendees)
    issued = list(
        doc_access.reviewer_documents(request.user).filter(
            participation=participation, kind=DocumentKind.MINUTES
        )
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                document = services.minutes_issue(
                    participation=participation,
                    by=request.user,
                    region_signatory=form.cleaned_data["region_signatory"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(
                    request,
                    _("Berita acara diterbitkan dengan nomor %(number)s.")
                    % {"number": document.number},
                )
                return redirect("documents:minutes_issue", pk=participation.pk)
        status = 400
    return render(
        request,
        "documents/minutes_issue.html",
        {
            "participation": participation,
            "round": participation.round,
            "form": form,
            "issued": issued,
            "has_attendees": bool(attendees),
        },
        status=status,
    )


@download_rate_limit
@reviewer_required
@require_safe
def reviewer_download(request: HttpRequest, pk: int) -> HttpResponse:
    return pdf_response(request, doc_access.get_reviewer_document_or_404(request.user, pk))


# --- City workspace ---------------------------------------------------------------------------


@workspace_view()
def city_document_list(request: HttpRequest, ws: Workspace) -> HttpResponse:
    documents = doc_access.city_documents(request.user, ws.region).order_by(
        "-participation__round__year", "-participation__round__phase", "kind", "-issued_at"
    )
    return render_ws(
        request,
        ws,
        "documents/city_list.html",
        {"documents": documents},
        nav="documents",
    )


@download_rate_limit
@workspace_view()
def city_download(request: HttpRequest, ws: Workspace, pk: int) -> HttpResponse:
    return pdf_response(request, doc_access.get_city_document_or_404(request.user, ws.region, pk))


# --- Public verification ----------------------------------------------------------------------


@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """What an issued document states and whether it still stands; anyone may ask."""
    document = Document.objects.with_context().filter(code=code).first()
    if document is None:
        return render(request, "documents/verify_unknown.html", {"code": code[:64]}, status=404)
    return render(
        request,
        "documents/verify.html",
        {
            "document": document,
            "c": stated_content(document),
            "status": document_status(document),
        },
    )
