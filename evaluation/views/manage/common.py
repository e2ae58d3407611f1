"""What the secretariat's pages share: the objects they act on, fetched with their 404
gate (outside the user's scope, an object answers 404 so that ids cannot be probed)."""

from danvan.web import object_or_404, require

from ... import selectors


def posted(request):
    """The POST data for a form, or None on GET (an empty POST still binds the form)."""
    return request.POST if request.method == "POST" else None


def round_or_404(request, pk, perm: str | None = "evaluation.view_assignments") -> dict:
    """``selectors.round_detail`` of a round the user may see (and act on with ``perm``)."""
    detail = object_or_404(lambda: selectors.round_detail(round_id=pk, user=request.user))
    require(request.user, "evaluation.view_round", detail["round"])
    if perm:
        require(request.user, perm, detail["round"])
    return detail
