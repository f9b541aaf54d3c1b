"""Background rendering: issued documents are rendered (and signed) by the worker right after
issue, so that downloads read a stored file instead of waiting for WeasyPrint."""

from __future__ import annotations

from django.tasks import task

from evaluations.documents.models import Document


@task
def render_documents(document_ids: list[int]) -> int:
    """Render and store the PDFs of these documents; those already stored are left as they
    are (idempotent: a task delivered twice renders nothing twice). Returns how many were
    rendered now."""
    from evaluations.documents.services import document_pdf

    rendered = 0
    for document in Document.objects.with_context().filter(pk__in=document_ids, pdf=""):
        document_pdf(document)
        rendered += 1
    return rendered
