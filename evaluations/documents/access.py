"""Who may read which issued document: every documents view starts here.

- a round manager: every document;
- a reviewer: the documents of participations on whose panel they sit;
- a region's staff: their own region's documents while the round's results are public
  (also while re-opened for correction; not once withdrawn), like their results and
  findings (minutes hold findings); never another region's;
- the public: nothing but the verification page, which shows what a document states.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from evaluations import access
from evaluations.documents.models import Document
from evaluations.models import Participation
from evaluations.roles import is_manager, is_reviewer
from regions.models import Region


def reviewer_documents(user: access.User) -> QuerySet[Document]:
    qs = Document.objects.with_context()
    if is_manager(user):
        return qs
    if not is_reviewer(user):
        return qs.none()
    return qs.filter(participation__panel__reviewer=user)


def get_reviewer_document_or_404(user: access.User, pk: int) -> Document:
    return get_object_or_404(reviewer_documents(user), pk=pk)


def city_documents(user: access.User, region: Region) -> QuerySet[Document]:
    """The region's issued documents its staff may download (published rounds only)."""
    return Document.objects.with_context().filter(
        participation__region=region,
        participation__region__in=access.workspace_regions(user).values("pk"),
        participation__round__is_public=True,
    )


def get_city_document_or_404(user: access.User, region: Region, pk: int) -> Document:
    return get_object_or_404(city_documents(user, region), pk=pk)


def can_issue_minutes(user: access.User, participation: Participation) -> bool:
    """The panel lead or a round manager issues a field review's minutes."""
    if is_manager(user):
        return True
    seat = access.panel_assignment(user, participation)
    return bool(seat and seat.is_lead)
