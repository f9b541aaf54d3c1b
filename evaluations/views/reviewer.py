"""Reviewer and round-manager pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evaluations import access
from evaluations.roles import is_reviewer


@login_required
def assignments(request: HttpRequest) -> HttpResponse:
    """The reviewer's queue: participations on their panels."""
    if not is_reviewer(request.user):
        raise PermissionDenied
    participations = access.reviewer_participations(request.user).order_by(
        "-round__year", "-round__phase", "region__code"
    )
    return render(
        request, "evaluations/reviewer/assignments.html", {"participations": participations}
    )
