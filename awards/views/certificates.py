"""Certificates of a decision: the request that starts making the PDF (the job page in
``danvan`` shows its progress and then the download)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from danvan.generation import BROKER_DOWN
from danvan.web import object_or_404, refusals

from ..certificates import certificates_request
from ..models import Decision


@require_POST
def certificates(request, pk: int):
    """Queue the certificates PDF of an issued decision and open its job page; a draft or
    revoked decision is refused on its own page; a broker that cannot be reached is said on
    the job page (``BROKER_DOWN``). 404 unless the user may read the decision."""
    decision = object_or_404(
        Decision.objects.select_related("issuer", "issuer__oversees").get,
        pk=pk,
        user=request.user,
        perm="awards.view_decision",
    )
    with refusals(request) as outcome:
        job = certificates_request(decision=decision, by=request.user)
    if outcome.ok:
        if job.broker_down:  # recorded; the sweep sends it once the broker is back
            messages.warning(request, BROKER_DOWN)
        return redirect(job)
    return redirect("awards:decision_detail", pk=decision.pk)
