"""A unit's feedback on one finalised result: tier, score, rank of N and — when the round
allows it — the average points per criterion and the reviewers' comments, never their names.

Visibility is the selector's (``selectors.result_feedback``): a result outside the user's
scope, or of a round not finalised, answers 404.
"""

from functools import partial

from django.shortcuts import render

from danvan.web import object_or_404

from .. import selectors


def result_feedback(request, pk):
    user = request.user
    # ``user`` of object_or_404 is the permission's; the selector needs it too.
    context = object_or_404(partial(selectors.result_feedback, user=user), result_id=pk)
    context["can_open_round_results"] = user.has_perm("evaluation.view_results", context["round"])
    context["is_unit_reader"] = bool(user.unit_id) and user.has_perm("models_registry.register")
    return render(request, "evaluation/review/result_feedback.html", context)
