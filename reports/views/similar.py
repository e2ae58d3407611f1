"""The "similar models" suggestions of the registration form (``showcase:similar``).

Two htmx fragments for a unit officer filling in the form (the button reaches the form
through ``danvan.extensions.MODEL_FORM``, registered in ``reports.extensions``):

* POST the typed name and content: up to five library models of other units like it
  (``reports.showcase.similarity``), each with "Replicate this model";
* GET ``?choose=<pk>``: that one click — the form's "replicates" choice with the model
  checked, swapped into ``#replication-results``; the officer then saves as usual.

Suggestions are library models (``showcase.library_models``) of other units. The form
accepts every one of them as a replication: ``models_registry.selectors.replication_choices``
reads the library through ``showcase.library_reader``, so every "Replicate this model"
button leads to a choice the form keeps.
"""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from danvan.extensions import DetailSection
from danvan.web import object_or_404
from models_registry import selectors as registry_selectors

from .. import showcase
from ..showcase.similarity import QUERY_CHARS, similar_models

SUGGESTIONS = 5


def _may_register(user) -> bool:
    """Only a unit officer attached to a unit registers models (the registration pages
    answer 404 to anyone else, and so does this one)."""
    return user.unit_id is not None and user.has_perm("models_registry.register")


def _choices(user):
    return registry_selectors.replication_choices(user=user, exclude_unit=user.unit)


@require_http_methods(["GET", "POST"])
def similar(request):
    user = request.user
    if not _may_register(user):
        raise Http404
    if request.method == "GET":
        return _choose(request)
    text = " ".join(
        request.POST.get(name, "")[:QUERY_CHARS] for name in ("name", "content")
    ).strip()
    results = []
    if text:
        candidates = showcase.library_list(
            queryset=showcase.library_models(user=user).exclude(unit=user.unit)
        )
        results = similar_models(candidates, text, limit=SUGGESTIONS)
    return render(request, "reports/showcase/similar.html", {"text": text, "results": results})


def _choose(request):
    """One click: the form's "replicates" radios with the chosen model checked."""
    pk = request.GET.get("choose", "")
    if not pk.isascii() or not pk.isdigit():
        raise Http404
    chosen = object_or_404(
        _choices(request.user).select_related("unit", "campaign").get, pk=int(pk)
    )
    return render(request, "reports/showcase/similar_choice.html", {"chosen": chosen})


def form_section(request, dvk_model):
    """The registration form's "similar models" button (``danvan.extensions.MODEL_FORM``):
    shown to whoever may ask for suggestions, on a new model and on a draft alike."""
    return {} if _may_register(request.user) else None


FORM_SECTION = DetailSection("reports/showcase/similar_button.html", form_section, order=10)
