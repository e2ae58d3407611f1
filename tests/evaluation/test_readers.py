"""Reviewers as extra readers of registered models: the rule and the selector agree.

``evaluation`` registers one ``danvan.extensions.Reader`` for ``models_registry.DvkModel``;
the registration app's rule (``models_registry.view_dvkmodel``) and its selector
(``dvk_models_visible_to``) both consult it, so they cannot disagree.
"""

import pytest

from danvan.extensions import readers
from evaluation import services
from evaluation.models import Assignment
from models_registry.selectors import dvk_models_visible_to
from tests.factories import RoundEntryFactory
from tests.factories.evaluation import accepted_model, open_round

pytestmark = pytest.mark.django_db


def _assign(round_, reviewer, secretariat):
    entry = RoundEntryFactory(round=round_, dvk_model=accepted_model(round_.campaign))
    return services.assignment_add(entry=entry, reviewer=reviewer, by=secretariat)


def _sees(user, dvk_model) -> tuple[bool, bool]:
    """(rule says yes, selector lists it)."""
    listed = dvk_models_visible_to(user=user).filter(pk=dvk_model.pk).exists()
    return user.has_perm("models_registry.view_dvkmodel", dvk_model), listed


def test_reviewer_reader_is_registered_once():
    names = [reader.name for reader in readers("models_registry.DvkModel")]

    assert names.count("assigned_reviewer") == 1


def test_reviewer_reads_assigned_model_of_open_round_by_rule_and_selector(
    round_, reviewers, secretariat
):
    assignment = _assign(round_, reviewers[0], secretariat)
    open_round(round_)

    assert _sees(reviewers[0], assignment.entry.dvk_model) == (True, True)


def test_reviewer_cannot_read_model_of_draft_round_by_rule_or_selector(
    round_, reviewers, secretariat
):
    assignment = _assign(round_, reviewers[0], secretariat)

    assert _sees(reviewers[0], assignment.entry.dvk_model) == (False, False)


def test_other_reviewer_cannot_read_model_by_rule_or_selector(round_, reviewers, secretariat):
    assignment = _assign(round_, reviewers[0], secretariat)
    open_round(round_)

    assert _sees(reviewers[1], assignment.entry.dvk_model) == (False, False)


def test_reviewer_with_approved_conflict_loses_read_by_rule_and_selector(
    round_, reviewers, secretariat
):
    assignment = _assign(round_, reviewers[0], secretariat)
    open_round(round_)
    Assignment.objects.filter(pk=assignment.pk).update(conflict_status="approved")

    assert _sees(reviewers[0], assignment.entry.dvk_model) == (False, False)
