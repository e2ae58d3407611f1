"""Award types (hình thức khen thưởng): the secretariat's list, add and edit pages.

No delete: types are referenced by proposals and awards; unticking "active" stops
offering one."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from danvan.web import object_or_404, refusals, require

from .. import selectors, services
from ..forms.types import AwardTypeForm
from ..models import AwardType

PERM = "awards.manage_award_types"


def type_list(request):
    require(request.user, PERM)
    return render(
        request, "awards/types/type_list.html", {"award_types": selectors.award_type_list()}
    )


def type_edit(request, pk=None):
    require(request.user, PERM)
    award_type = object_or_404(AwardType.objects.get, pk=pk) if pk else None
    form = AwardTypeForm(request.POST or None, instance=award_type)
    if request.method == "POST" and form.is_valid():
        with refusals(form) as outcome:
            services.award_type_save(
                data=form.service_data(), award_type=award_type, by=request.user
            )
        if outcome.ok:
            messages.success(request, _("The award type has been saved."))
            return redirect("awards:type_list")
    return render(request, "awards/types/type_form.html", {"form": form, "award_type": award_type})
