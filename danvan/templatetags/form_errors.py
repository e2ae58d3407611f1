"""The error summary of a refused form, and the page title's "Error:" prefix.

``{% error_items form formset … as items %}`` lists the errors of bound forms and formsets in
page order, one item per message: ``{"text": …, "href": "#id_…"}`` for a field (its first
input for a radio or checkbox group, so the link lands on something focusable), ``href``
empty for an error that belongs to no visible field. ``templates/includes/form_errors.html``
renders them; ``static/js/errors.js`` focuses the summary and the fields its links name.

``{% page_has_errors as flag %}`` (base.html's <title>) is true when the page shows a bound
form or formset with errors under any context name, or the view set ``page_has_errors``
(a refusal that is not a form's, e.g. a score sheet submitted with criteria missing).
"""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

register = template.Library()


def _field_href(field) -> str:
    if field.is_hidden or not field.auto_id:
        return ""
    # A radio or checkbox group has no single labelled input: link to its first one.
    return "#" + (field.id_for_label or f"{field.auto_id}_0")


def _form_items(form) -> list[dict]:
    # A form whose template renders a field its own way names the element to link to:
    # ``error_targets = {"field name": "element id"}``.
    targets = getattr(form, "error_targets", {})
    items = [{"text": str(error), "href": ""} for error in form.non_field_errors()]
    for field in form:
        href = f"#{targets[field.name]}" if field.name in targets else _field_href(field)
        for error in field.errors:
            text = f"{field.label}: {error}" if field.label else str(error)
            items.append({"text": text, "href": href})
    return items


def _items(form) -> list[dict]:
    if isinstance(form, BaseFormSet):
        if not form.is_bound:
            return []
        items = [{"text": str(error), "href": ""} for error in form.non_form_errors()]
        for member in form.forms:
            items.extend(_form_items(member))
        return items
    if isinstance(form, BaseForm) and form.is_bound:
        return _form_items(form)
    return []


@register.simple_tag
def error_items(*forms) -> list[dict]:
    """The errors of the given bound forms and formsets (others and ``None`` are skipped)."""
    return [item for form in forms for item in _items(form)]


def _has_errors(value) -> bool:
    # type(), not isinstance(): isinstance() would evaluate a lazy context value (the CSRF
    # token, a context processor's SimpleLazyObject) that the page may never use.
    kind = type(value)
    if issubclass(kind, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return issubclass(kind, BaseForm) and value.is_bound and bool(value.errors)


@register.simple_tag(takes_context=True)
def page_has_errors(context) -> bool:
    """Whether the page shows a refused form (any bound form or formset in the context with
    errors) or the view said so with ``page_has_errors``."""
    values = context.flatten()
    if values.get("page_has_errors"):
        return True
    return any(_has_errors(value) for value in values.values())
