"""Password validators for this site's users (``AUTH_PASSWORD_VALIDATORS``).

Django's similarity validator looks at ``username``, ``first_name``, ``last_name`` and
``email``; our users carry their name in ``full_name`` and belong to a unit whose name an
attacker knows too. Vietnamese names are typed without diacritics and spaces in passwords
("Nguyễn Văn An" → "nguyenvanan"), so each value is also compared folded that way.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.contrib.auth.password_validation import exceeds_maximum_length_ratio
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .utils import fold_vietnamese


def _variants(value: str) -> set[str]:
    lower = value.lower()
    folded = fold_vietnamese(value)
    variants = {lower, folded, folded.replace(" ", "")}
    for form in (lower, folded):
        variants.update(re.split(r"\W+", form))
    return {v for v in variants if v}


class PersonalInfoSimilarityValidator:
    """Refuse a password too similar to the user's username, name, e-mail, job title or
    unit name (Django's ``UserAttributeSimilarityValidator`` extended to them)."""

    def __init__(self, max_similarity: float = 0.7):
        self.max_similarity = max_similarity

    def _values(self, user):
        for field in ("username", "full_name", "first_name", "last_name", "email", "position"):
            value = getattr(user, field, None)
            if value and isinstance(value, str):
                yield value, str(user._meta.get_field(field).verbose_name)
        unit = getattr(user, "unit", None) if getattr(user, "unit_id", None) else None
        if unit is not None:
            for value in (unit.name, unit.short_name):
                if value:
                    yield value, gettext("the name of your unit")

    def validate(self, password, user=None):
        if user is None:
            return
        candidates = {password.lower(), fold_vietnamese(password).replace(" ", "")}
        for value, label in self._values(user):
            for part in _variants(value):
                for candidate in candidates:
                    if exceeds_maximum_length_ratio(candidate, self.max_similarity, part):
                        continue
                    ratio = SequenceMatcher(a=candidate, b=part).quick_ratio()
                    if ratio >= self.max_similarity:
                        raise ValidationError(
                            _("The password is too similar to the %(verbose_name)s."),
                            code="password_too_similar",
                            params={"verbose_name": label},
                        )

    def get_help_text(self):
        return _(
            "Your password cannot be too similar to your name, username, e-mail, job title "
            "or the name of your unit."
        )


class NotCurrentPasswordValidator:
    """Refuse the password the user already has (a "change" that changes nothing)."""

    def validate(self, password, user=None):
        if user is None or user.pk is None or not user.password:
            return
        if user.has_usable_password() and user.check_password(password):
            raise ValidationError(
                _("The new password must be different from your current password."),
                code="password_unchanged",
            )

    def get_help_text(self):
        return _("Your new password must be different from your current password.")
