"""Rubrics, the Steering Committee, evaluation rounds, score sheets and finalised results.

Every write goes through ``evaluation.services``; every read the UI needs through
``evaluation.selectors``. Two rules hold the design together:

* a ``Rubric`` is frozen once any ``CriterionScore`` exists on its criteria: changing it
  means ``rubric_new_version``;
* a ``Result`` is the immutable snapshot written by ``round_finalise``; afterwards only its
  ``exemplary`` flag may change (``result_set_exemplary``), which ``Result.save`` enforces.

The models live in modules by family; import them from ``evaluation.models``.
"""

from .committees import Committee, CommitteeMember
from .results import Result, ResultQuerySet
from .rounds import Assignment, AssignmentQuerySet, Round, RoundEntry, active_assignment_q
from .rubrics import POINTS, SCORE, Criterion, Rubric, Tier
from .scoring import CriterionScore, ScoreSheet

__all__ = [
    "POINTS",
    "SCORE",
    "Assignment",
    "AssignmentQuerySet",
    "Committee",
    "CommitteeMember",
    "Criterion",
    "CriterionScore",
    "Result",
    "ResultQuerySet",
    "Round",
    "RoundEntry",
    "Rubric",
    "ScoreSheet",
    "Tier",
    "active_assignment_q",
]
