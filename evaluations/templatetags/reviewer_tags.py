"""Template helpers of the reviewer workspace."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from evaluations import roles

register = template.Library()


@register.filter
def is_manager(user: Any) -> bool:
    """``{% if user|is_manager %}``: round-manager links and buttons."""
    return roles.is_manager(user)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    """``{{ mapping|get_item:key }}`` for dicts keyed by a variable."""
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def signed(value: Any) -> str:
    """A change with its sign, in the reader's number format: +0,25, −0,10, 0,00 (a true
    minus sign); whole numbers (rank changes) stay whole."""
    if value is None:
        return "–"
    text = number_format(abs(value), decimal_pos=2 if isinstance(value, Decimal) else None)
    if value > 0:
        return f"+{text}"
    if value < 0:
        return f"−{text}"
    return text


@register.filter
def share(pair: Any) -> str:
    """A programme share [running, total] as "9/10 (90%)"."""
    if not pair:
        return "–"
    running, total = pair
    if not total:
        return "–"
    return f"{running}/{total} ({round(100 * running / total)}%)"


@register.simple_tag
def score_fields(form: Any) -> SafeString:
    """The fields of a ``ScoreForm`` (errors, level radios, comment, version) in the markup
    crispy's Bootstrap 5 pack gives them.

    A participation page holds one form per indicator (43 with the default instrument) and
    crispy's layout rendering costs several milliseconds a form, most of the page's time at
    national scale (see README, "Benchmark"); this builds the same markup directly.
    """
    parts: list[str] = []
    if form.non_field_errors():
        parts.append(
            format_html(
                '<div class="alert alert-block alert-danger"><ul class="m-0">{}</ul></div>',
                format_html_join("", "<li>{}</li>", ((e,) for e in form.non_field_errors())),
            )
        )

    level = form["level"]
    current = level.value()
    current = "" if current is None else str(current)
    invalid = bool(level.errors)
    # Six radios a form, 43 forms a page: plain f-strings over escaped parts, as
    # format_html per radio would cost as much as the rest of the tag.
    name, base = escape(level.html_name), escape(level.auto_id)
    state = ' is-invalid" aria-invalid="true' if invalid else ""
    radios = mark_safe(
        " ".join(
            f'<div class="form-check form-check-inline"><input type="radio" '
            f'class="form-check-input{state}" name="{name}" value="{escape(value)}" '
            f'id="{base}_{i}" required{" checked" if str(value) == current else ""}> '
            f'<label for="{base}_{i}" class="form-check-label">{escape(label)}</label></div>'
            for i, (value, label) in enumerate(level.field.choices)
        )
    )
    parts.append(
        format_html(
            '<div id="div_{}" class="mb-3 level-choices"><fieldset{}>'
            '<legend class="fs-6 form-label requiredField">{}<span class="asteriskField">*'
            "</span></legend><div>{}</div>{}</fieldset></div>",
            level.auto_id,
            format_html(' aria-describedby="{}_error"', level.auto_id) if invalid else "",
            level.label,
            radios,
            _field_errors(level, "p"),
        )
    )

    comment = form["comment"]
    invalid = bool(comment.errors)
    widget = comment.field.widget
    parts.append(
        format_html(
            '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label> '
            '<textarea name="{}" cols="{}" rows="{}" maxlength="{}" '
            'class="textarea form-control{}"{} id="{}">\n{}</textarea>{}</div>',
            comment.auto_id,
            comment.auto_id,
            comment.label,
            comment.html_name,
            widget.attrs.get("cols", 40),
            widget.attrs.get("rows", 2),
            comment.field.max_length,
            " is-invalid" if invalid else "",
            format_html(' aria-invalid="true" aria-describedby="{}_error"', comment.auto_id)
            if invalid
            else "",
            comment.auto_id,
            comment.value() or "",
            _field_errors(comment, "span"),
        )
    )

    version = form["version"]
    value = version.value()
    parts.append(
        format_html(
            '<input type="hidden" name="{}"{} id="{}">',
            version.html_name,
            format_html(' value="{}"', value) if value not in (None, "") else "",
            version.auto_id,
        )
    )
    return mark_safe(" ".join(parts))  # every part is built with format_html


def _field_errors(field: Any, tag: str) -> SafeString | str:
    if not field.errors:
        return ""
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            f'<{tag} id="error_{{}}_{{}}"><strong>{{}}</strong></{tag}>',
            ((n, field.auto_id, e) for n, e in enumerate(field.errors, start=1)),
        ),
    )
