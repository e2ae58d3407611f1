"""What every view shares: the 404 gate, the refusal adapter and the file response.

A view is ``permission → selector → form → service → message → redirect``::

    obj = object_or_404(selectors.thing_detail, pk=pk, user=request.user, perm="app.view_thing")
    form = ThingForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.thing_save(thing=obj, by=request.user, **form.cleaned_data)
        if outcome.ok:
            messages.success(request, _("Saved."))
            return redirect(obj)

``refusals`` catches ``DomainError`` (and the ``ValidationError`` a model's ``full_clean``
raises inside a service) and puts each message on the form field it names, or on the form
as a whole, or — given a request instead of a form — in the page's messages. It never
catches anything else: a bug still ends in a 500 and a traceback.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.encoding import iri_to_uri

from .errors import DomainError


def require(user, perm: str, obj=None) -> None:
    """Answer 404 unless ``user`` has ``perm`` (on ``obj``): ids cannot be probed."""
    if not user.has_perm(perm, obj):
        raise Http404


def object_or_404(fetch: Callable, *args, user=None, perm: str | None = None, **kwargs):
    """``fetch(*args, **kwargs)`` (a selector or a queryset's ``get``), or 404 when the row
    is missing or ``user`` lacks ``perm`` on it."""
    try:
        obj = fetch(*args, **kwargs)
    except ObjectDoesNotExist:
        raise Http404 from None
    if perm is not None:
        require(user, perm, obj)
    return obj


class refusals:
    """Turn a service's refusal into messages the user sees; ``.ok`` says whether it ran.

    ``target`` is a form (messages go next to its fields), a formset (on its non-form
    errors), or a request (messages at the top of the next page). Use it once per service
    call; the transaction of the request is rolled back by the service's own atomic block.
    """

    def __init__(self, target):
        self.target = target
        self.ok = True
        self.error: Exception | None = None

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            return False
        if issubclass(exc_type, DomainError):
            errors = exc.field_errors()
        elif issubclass(exc_type, ValidationError):
            errors = _validation_errors(exc)
        else:
            return False
        self.ok = False
        self.error = exc
        _deliver(self.target, errors)
        return True


def _validation_errors(error: ValidationError) -> dict[str | None, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (None if field == "__all__" else field): [str(m) for m in ValidationError(msgs)]
            for field, msgs in error.error_dict.items()
        }
    return {None: [str(m) for m in error]}


def _deliver(target, errors: dict[str | None, list[str]]) -> None:
    if isinstance(target, HttpRequest):
        for field_messages in errors.values():
            for message in field_messages:
                messages.error(target, message)
        return
    if hasattr(target, "forms") and hasattr(target, "management_form"):  # a formset
        target._non_form_errors = target.error_class(
            list(target.non_form_errors()) + [m for ms in errors.values() for m in ms],
            renderer=target.renderer,
        )
        return
    for field, field_messages in errors.items():
        name = field if field in getattr(target, "fields", {}) else None
        target.add_error(name, field_messages)


def file_response(
    filename: str, content_type: str, content: bytes, *, inline: bool = False
) -> HttpResponse:
    """Serve a generated file (a renderer's ``(filename, content_type, bytes)``) with a
    download name that survives Vietnamese letters (RFC 6266 ``filename*``)."""
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    decomposed = unicodedata.normalize("NFKD", filename.replace("đ", "d").replace("Đ", "D"))
    ascii_name = decomposed.encode("ascii", "ignore").decode().replace('"', "") or "download"
    response["Content-Disposition"] = (
        f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{iri_to_uri(filename)}"
    )
    response["Content-Length"] = str(len(content))
    return response
