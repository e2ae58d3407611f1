"""Field management (lĩnh vực and their topics) for the secretariat."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.web import object_or_404, refusals, require

from .. import selectors, services
from ..forms import FieldForm
from ..models import Field


def field_list(request):
    require(request.user, "models_registry.manage_fields")
    return render(
        request, "models_registry/field_list.html", {"fields": selectors.fields_for_management()}
    )


def field_edit(request, pk=None):
    require(request.user, "models_registry.manage_fields")
    instance = object_or_404(Field.objects.get, pk=pk) if pk else None
    initial = {}
    parent = request.GET.get("parent", "")
    if instance is None and parent.isascii() and parent.isdigit():
        initial["parent"] = parent
    form = FieldForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.field_save(field=form.save(commit=False), by=request.user)
        if outcome.ok:
            messages.success(request, _("The field has been saved."))
            return redirect("models_registry:field_list")
    return render(request, "models_registry/field_form.html", {"form": form, "field": instance})
