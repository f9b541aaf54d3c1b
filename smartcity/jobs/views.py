"""The progress page of a job, its htmx-polled status fragment and its result file."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from smartcity.http import AuthenticatedHttpRequest
from smartcity.jobs.models import Job
from smartcity.security import download_rate_limit


def _get_job_for_user(request: HttpRequest, pk: str) -> Job:
    """The job if the user may see it (its owner, or a manager); 404 otherwise, so that a
    job's existence is not revealed to others."""
    return get_object_or_404(Job.objects.visible_to(request.user).select_related("owner"), pk=pk)


@never_cache
@login_required
@require_safe
def job_detail(request: AuthenticatedHttpRequest, pk: str) -> HttpResponse:
    """Progress page. Polls its status fragment every second (htmx) until the job is done;
    a reload shows the same state, which is kept in the database."""
    job = _get_job_for_user(request, pk)
    template = "jobs/job.html#status" if request.htmx else "jobs/job.html"
    return render(request, template, {"job": job})


@download_rate_limit
@login_required
@require_safe
def job_download(request: HttpRequest, pk: str) -> FileResponse:
    job = _get_job_for_user(request, pk)
    if not job.has_result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=job.result_name or cast(str, job.result_file.name).rsplit("/", 1)[-1],
        content_type=job.result_content_type or "application/octet-stream",
    )
    response["Cache-Control"] = "private, no-store"
    return response
