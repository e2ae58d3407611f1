"""Reads of campaigns and registered models, with their query shapes and visibility.

Import from here (``from models_registry import selectors``; ``selectors.dvk_models_visible_to``):
the split into modules, one per family, is an implementation detail.

- ``scope``: who may read which model (``dvk_models_visible_to``, the scope as a row
  condition);
- ``campaigns``: campaigns, deadline extensions and fields;
- ``lists``: the shape of every list of models, the officer's and the intake list's rows,
  carry-over and replication choices;
- ``detail``: one model with what its page shows, its timeline and history;
- ``linked``: the models linked to a model (lineage, replications), read once;
- ``coverage``: units expected to register and those that did not.
"""

from .campaigns import (
    campaign_current_for,
    campaign_organisers_for,
    campaigns_for_unit,
    campaigns_in_scope,
    deadline_extensions_visible_to,
    extension_units_for,
    fields_for_management,
    fields_for_registration,
    fields_tree,
)
from .coverage import REGISTERING_KINDS, coverage_by_kind, registering_units, units_without_models
from .detail import (
    LINKED_MODELS,
    RECENT_VERSIONS,
    dvk_model_detail,
    dvk_model_history,
    dvk_model_recent_versions,
    dvk_model_timeline,
)
from .linked import (
    REPLICATION_STATUSES,
    attach_linked_models,
    dvk_model_lineage,
    dvk_model_lineage_component,
    dvk_model_readable_relatives,
    replications_of,
)
from .lists import (
    INTAKE_ORDER,
    INTAKE_ORDER_REVERSED,
    ORIGIN_Q,
    STATUS_ATTENTION_ORDER,
    carry_over_candidates,
    dvk_model_list,
    dvk_models_of_unit,
    intake_queryset,
    intake_scope,
    model_or_unit_matches,
    replication_candidates,
    replication_choices,
    search_words,
    unit_matches,
    unit_model_counts,
)
from .scope import dvk_models_visible_to, in_scope_q, in_subtree_q

__all__ = [
    "INTAKE_ORDER",
    "INTAKE_ORDER_REVERSED",
    "LINKED_MODELS",
    "ORIGIN_Q",
    "RECENT_VERSIONS",
    "REGISTERING_KINDS",
    "REPLICATION_STATUSES",
    "STATUS_ATTENTION_ORDER",
    "attach_linked_models",
    "campaign_current_for",
    "campaign_organisers_for",
    "campaigns_for_unit",
    "campaigns_in_scope",
    "carry_over_candidates",
    "coverage_by_kind",
    "deadline_extensions_visible_to",
    "dvk_model_detail",
    "dvk_model_history",
    "dvk_model_lineage",
    "dvk_model_lineage_component",
    "dvk_model_list",
    "dvk_model_readable_relatives",
    "dvk_model_recent_versions",
    "dvk_model_timeline",
    "dvk_models_of_unit",
    "dvk_models_visible_to",
    "extension_units_for",
    "fields_for_management",
    "fields_for_registration",
    "fields_tree",
    "in_scope_q",
    "in_subtree_q",
    "intake_queryset",
    "intake_scope",
    "model_or_unit_matches",
    "registering_units",
    "replication_candidates",
    "replication_choices",
    "replications_of",
    "search_words",
    "unit_matches",
    "unit_model_counts",
    "units_without_models",
]
