"""Public pages. They read only through ``access.public_*``: published results only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evaluations import access


def home(request: HttpRequest) -> HttpResponse:
    rounds = access.public_rounds().order_by("-year", "-phase")
    return render(request, "public/home.html", {"rounds": rounds})
