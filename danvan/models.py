"""Core models every stage of the cycle needs: the organisation tree and its people."""

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from tree_queries.models import TreeNode

from .db import vi_order
from .enums import Role, SuccessionKind, UnitKind
from .generated_files import GeneratedFile, GeneratedFileStatus  # noqa: F401 -- the façade
from .utils import fold_vietnamese


class Unit(TreeNode):
    """An organisation (đơn vị) in a province's tree.

    Units are never deleted once referenced: a merged or renamed unit gets ``valid_to``
    and ``active=False`` and a ``UnitSuccession`` to its successor, so records made by it
    keep showing it as it was. The tree (``parent``) comes from django-tree-queries, which
    reads subtrees with one recursive CTE.
    """

    name = models.CharField(_("name"), max_length=255)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)
    code = models.CharField(
        _("code"),
        max_length=32,
        blank=True,
        null=True,
        unique=True,
        help_text=_("National administrative code where one exists, otherwise an internal code."),
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveIntegerField(_("display order"), default=0)
    oversees = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="overseen_by",
        verbose_name=_("oversees"),
        help_text=_(
            "For a Party or government body that works for a whole locality (the "
            "provincial commission, a commune's Party committee): the unit whose subtree "
            "its staff may see."
        ),
    )
    # Lower-case name without diacritics, kept by save(), for SQL searches (``__contains``:
    # on PostgreSQL a trigram index, ``unit_search_trgm``, created by migration 0007; a
    # B-tree index cannot serve ``LIKE '%…%'``).
    search_text = models.CharField(max_length=255, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["position", vi_order("name")]
        indexes = [models.Index(fields=["kind", "active"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="unit_valid_range",
                violation_error_message=_("The end of validity cannot precede its start."),
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold_vietnamese(f"{self.name} {self.short_name} {self.code or ''}")
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"name", "short_name", "code"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("unit_detail", args=[self.pk])


class UnitSuccession(models.Model):
    """A predecessor unit passed (part of) itself to a successor on a date."""

    predecessor = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="successions_out",
        verbose_name=_("predecessor"),
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="successions_in", verbose_name=_("successor")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SuccessionKind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        ordering = ["effective_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "kind"], name="unit_succession_unique"
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=models.F("successor")),
                name="unit_succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self):
        return f"{self.predecessor} → {self.successor} ({self.get_kind_display()})"


class User(AbstractUser):
    """A person using the site; belongs to one unit, which fixes what they may see."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    position = models.CharField(_("job title"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name() or self.username

    def has_role(self, role: Role) -> bool:
        """Group membership, read once per user object (see ``load_access``)."""
        if not hasattr(self, "_role_cache"):
            self.load_access()
        return role in self._role_cache

    def load_access(self) -> None:
        """Read the user's groups and model permissions (their own and their groups') in
        one query and keep them on this object, where ``has_role`` and Django's
        ``ModelBackend`` (``_user_perm_cache``, ``_group_perm_cache``) look first. A user
        object lives one request; ``forget_access`` after changing roles on the same one.
        Superusers' permissions stay ``ModelBackend``'s (all of them)."""
        from django.contrib.auth.models import Group, Permission

        groups = (
            Group.objects.filter(user=self)
            .annotate(own=models.Value(False))
            .values_list(
                "own", "name", "permissions__content_type__app_label", "permissions__codename"
            )
            .order_by()
        )
        own = (
            Permission.objects.filter(user=self)
            .annotate(own=models.Value(True), group_name=models.Value(""))
            .values_list("own", "group_name", "content_type__app_label", "codename")
            .order_by()
        )
        roles, user_perms, group_perms = set(), set(), set()
        for is_own, group, app_label, codename in groups.union(own, all=True):
            if is_own:
                user_perms.add(f"{app_label}.{codename}")
                continue
            roles.add(group)
            if codename is not None:
                group_perms.add(f"{app_label}.{codename}")
        self._role_cache = roles
        if not self.is_superuser:
            self._user_perm_cache = user_perms
            self._group_perm_cache = group_perms

    def forget_access(self) -> None:
        """Drop what ``load_access`` and ``ModelBackend`` kept (after changing roles)."""
        for name in ("_role_cache", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
            self.__dict__.pop(name, None)

    def remember(self, key, compute):
        """``compute()`` once per user object — a request's user lives one request — for
        reads several panels or rules of one page need (``key``: hashable, the reader's
        name first)."""
        memo = self.__dict__.setdefault("_memo", {})
        if key not in memo:
            memo[key] = compute()
        return memo[key]

    def remember_fact(self, name: str, value) -> None:
        """Keep a registered fact's value (``danvan.extensions.register_user_fact``)."""
        self.__dict__.setdefault("_facts", {})[name] = value

    def fact(self, name: str, compute):
        """A registered fact about this user: the value loaded with the signed-in user, or
        ``compute()`` once per user object."""
        facts = self.__dict__.setdefault("_facts", {})
        if name not in facts:
            facts[name] = bool(compute())
        return facts[name]

    @property
    def scope_unit_id(self) -> int | None:
        """The root of what this user may see: their unit, or the locality it oversees."""
        if self.unit_id is None:
            return None
        return self.unit.oversees_id or self.unit_id

    @property
    def roles(self) -> list[Role]:
        return [role for role in Role if self.has_role(role)]


class ActivityLog(models.Model):
    """One row per transition of any object: who did what to which object, when, with what
    data (a reason, the old and new state, a count). Written only by
    ``danvan.activity.log_action``; never changed or deleted. The model timeline, the
    secretariat's audit page and notifications read it (pretalx's ``ActivityLog``)."""

    timestamp = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activity",
        verbose_name=_("by"),
    )
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("object type")
    )
    object_id = models.PositiveBigIntegerField(_("object id"))
    content_object = GenericForeignKey("content_type", "object_id")
    # What the object was called when the row was written (``str(obj)``, as Django's admin
    # log keeps it): the audit page shows it without reading every object of every type.
    # Empty on rows written before it existed (the page reads those objects).
    object_repr = models.TextField(_("object"), blank=True, default="")
    # "<app_label>.<model>.<verb>", e.g. "models_registry.dvkmodel.submit".
    action = models.CharField(_("action"), max_length=100, db_index=True)
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # The unit whose subtree the object belongs to, so that the audit page filters by scope
    # in SQL (None: visible to administrators only).
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unit"),
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activity log")
        ordering = ["-timestamp", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "timestamp"])]

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M} {self.action} #{self.object_id}"


class NotificationChannel(models.TextChoices):
    """How a user wants one kind of notification: in the app only, also by e-mail at once,
    or in the app and one e-mail a day (the digest)."""

    APP = "app", _("In the app only")
    EMAIL = "email", _("In the app and by e-mail")
    DIGEST = "digest", _("In the app and in a daily e-mail digest")


class Notification(models.Model):
    """One message to one user (the bell and its list), written by
    ``danvan.notifications`` from an activity row or a reminder; its text is rendered in
    Vietnamese when it is written, its link is a site-relative path."""

    recipient = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notifications", verbose_name=_("recipient")
    )
    kind = models.CharField(_("kind"), max_length=80)
    activity = models.ForeignKey(
        ActivityLog,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("activity"),
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # When it went out by e-mail (at once or in a digest); None: not (yet) e-mailed.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["recipient", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.recipient_id}: {self.title}"


class NotificationPreference(models.Model):
    """A user's channel for one kind (no row: the kind's default)."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=80)
    channel = models.CharField(_("how"), max_length=20, choices=NotificationChannel.choices)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_pref_unique"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind}: {self.channel}"


class ReminderLog(models.Model):
    """One reminder of one kind sent to one user on one day: the unique constraint is what
    keeps a schedule and a secretariat's "nhắc" button from reminding twice a day."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=80)
    day = models.DateField(_("day"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "day"], name="reminder_once_a_day"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.kind} {self.day}"
