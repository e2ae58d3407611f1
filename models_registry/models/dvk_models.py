"""The registered "Dân vận khéo" model (mô hình, điển hình) and its workflow fields."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from danvan.models import Unit
from danvan.utils import fold_vietnamese

from ..enums import ModelKind, ModelStatus
from .campaigns import Campaign, Field


class DvkModel(models.Model):
    """A "Dân vận khéo" model or exemplar registered by a unit for one campaign.

    Every status change goes through ``models_registry.services`` (``dvk_model_submit``,
    ``dvk_model_accept``, ``dvk_model_return``, ``dvk_model_withdraw``), which writes one
    ``danvan.ActivityLog`` row (``danvan.activity.log_action``); never assign ``status``
    elsewhere. Rules on the content are checked by ``models_registry.validators`` (forms
    and services) and, where the database can, by ``Meta.constraints``.
    """

    # The long texts of the registration's items, in the form's order (after the name).
    ITEM_TEXTS = (
        "situation",
        "goals",
        "content",
        "area",
        "forces",
        "resources",
        "timeline",
        "outputs",
        "sustainability",
    )

    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, related_name="models", verbose_name=_("campaign")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="dvk_models", verbose_name=_("unit")
    )
    kind = models.CharField(
        _("kind"), max_length=30, choices=ModelKind.choices, default=ModelKind.COLLECTIVE_MODEL
    )
    field = models.ForeignKey(
        Field,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dvk_models",
        verbose_name=_("field"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ModelStatus.choices,
        default=ModelStatus.DRAFT,
        editable=False,
    )
    # The ten items of the registration form.
    name = models.CharField(_("name of the model"), max_length=300)
    situation = models.TextField(_("situation and reasons"), max_length=10000, blank=True)
    goals = models.TextField(_("goals and targets"), max_length=10000, blank=True)
    content = models.TextField(_("content and method"), max_length=20000, blank=True)
    area = models.TextField(_("area and target group"), max_length=5000, blank=True)
    forces = models.TextField(_("people carrying it out"), max_length=5000, blank=True)
    resources = models.TextField(_("resources"), max_length=5000, blank=True)
    timeline = models.TextField(_("timeline and milestones"), max_length=5000, blank=True)
    outputs = models.TextField(_("verifiable outputs"), max_length=5000, blank=True)
    sustainability = models.TextField(
        _("sustainability and replicability"), max_length=5000, blank=True
    )
    # An exemplary individual.
    person_name = models.CharField(_("individual's full name"), max_length=150, blank=True)
    person_position = models.CharField(_("individual's position"), max_length=150, blank=True)
    person_birth_year = models.PositiveSmallIntegerField(
        _("individual's year of birth"), null=True, blank=True
    )
    # Contact and schedule.
    lead_name = models.CharField(_("person in charge"), max_length=150, blank=True)
    lead_phone = models.CharField(_("contact phone"), max_length=30, blank=True)
    lead_email = models.EmailField(_("contact e-mail"), blank=True)
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    # Links across years and units.
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("continues the model of"),
    )
    replicates = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replications",
        verbose_name=_("replicates the model of"),
    )
    # Workflow bookkeeping (written by services only).
    return_reason = models.TextField(_("reason for return"), blank=True, editable=False)
    resubmit_deadline = models.DateField(
        _("resubmit by"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the model is returned: it may be resubmitted until this day."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # Optimistic lock: every save through the services bumps it; a stale form is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.TextField(blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("Dan Van Kheo model")
        verbose_name_plural = _("Dan Van Kheo models")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["campaign", "status"]),
            models.Index(fields=["campaign", "unit"]),
        ]
        # Migration 0009 adds, outside this list because their SQL differs by database:
        # ``dvk_model_intake_order`` (submitted_at ASC NULLS FIRST, id: the intake list's
        # order, selectors.INTAKE_ORDER, read backwards; SQLite cannot write NULLS FIRST in
        # an index, where it is the natural order) and, on PostgreSQL, the trigram index
        # ``dvk_model_search_trgm`` for ``search_text__contains``.
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=F("planned_start")),
                name="dvk_model_planned_range",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=~Q(replicates=F("pk")) & ~Q(predecessor=F("pk")),
                name="dvk_model_not_own_link",
            ),
            models.CheckConstraint(
                condition=Q(person_birth_year__isnull=True) | Q(person_birth_year__gte=1900),
                name="dvk_model_birth_year",
                violation_error_message=_("Please enter a year of birth after 1900."),
            ),
            # A model is carried over ("duy trì") into a campaign at most once.
            models.UniqueConstraint(
                fields=["predecessor", "campaign"],
                condition=Q(predecessor__isnull=False),
                name="dvk_model_one_continuation_per_campaign",
                violation_error_message=_(
                    "This model has already been carried over into this campaign."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold_vietnamese(
            " ".join(filter(None, [self.name, self.person_name, self.lead_name]))
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("models_registry:model_detail", args=[self.pk])

    @property
    def is_individual(self) -> bool:
        return self.kind == ModelKind.INDIVIDUAL_EXEMPLAR

    @property
    def is_editable(self) -> bool:
        return self.status in (ModelStatus.DRAFT, ModelStatus.RETURNED)
