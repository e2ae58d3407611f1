"""The one error path for refused actions.

Services raise a subclass of ``DomainError`` with a Vietnamese message the user reads as
is; ``danvan.web.refusals`` puts it next to a form field or in a page message. Nothing else
(no builtin exception, no per-view ``try/except``) carries a refusal.
"""

from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refused action.

    ``message`` is shown to the user as is. ``field`` names the form field it belongs to
    (None: the whole form or page). ``errors`` maps several fields to their messages when a
    service refuses more than one field at once (for example the missing items of a
    registration on submit).
    """

    def __init__(self, message: str = "", *, field: str | None = None, errors=None):
        self.message = str(message)
        self.field = field
        self.errors: dict[str | None, list[str]] = dict(errors or {})
        if not self.message and self.errors:
            self.message = " ".join(str(m) for messages in self.errors.values() for m in messages)
        super().__init__(self.message)

    def __str__(self):
        return self.message

    def field_errors(self) -> dict[str | None, list[str]]:
        """Messages per field (None: not tied to a field)."""
        if self.errors:
            return self.errors
        return {self.field: [self.message]}


class StaleEditError(DomainError):
    """Someone saved the same record after this form was opened (optimistic locking)."""

    def __init__(self, message: str = ""):
        super().__init__(
            message
            or _(
                "Someone else saved this record after you opened it. Your changes were not "
                "saved: reload the page to see the latest version, then make your changes again."
            )
        )
