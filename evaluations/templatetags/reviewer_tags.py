"""Template helpers of the reviewer workspace."""

from __future__ import annotations

from typing import Any

from django import template

from evaluations import roles

register = template.Library()


@register.filter
def is_manager(user: Any) -> bool:
    """``{% if user|is_manager %}``: round-manager links and buttons."""
    return roles.is_manager(user)


@register.filter
def share(pair: Any) -> str:
    """A programme share [running, total] as "9/10 (90%)"."""
    if not pair:
        return "–"
    running, total = pair
    if not total:
        return "–"
    return f"{running}/{total} ({round(100 * running / total)}%)"


@register.inclusion_tag("evaluations/reviewer/includes/score_fields.html")
def score_fields(form: Any) -> dict[str, Any]:
    """The fields of a ``ScoreForm`` (errors, level radios, comment, version) in the markup
    crispy's Bootstrap 5 pack gives them.

    A participation page holds one form per indicator (43 with the default instrument) and
    crispy's layout rendering costs several milliseconds a form, most of the page's time at
    national scale (see README, "Benchmark"); the template writes the same markup directly.
    """
    level, comment, version = form["level"], form["comment"], form["version"]
    current = level.value()
    current = "" if current is None else str(current)
    widget = comment.field.widget
    return {
        "non_field_errors": form.non_field_errors(),
        "level": level,
        "choices": [
            {"value": value, "label": label, "checked": str(value) == current}
            for value, label in level.field.choices
        ],
        "comment": comment,
        "cols": widget.attrs.get("cols", 40),
        "rows": widget.attrs.get("rows", 2),
        "comment_value": comment.value() or "",
        "version": version,
        "version_value": version.value(),
        "none_or_empty": (None, ""),
    }
