from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Login whose error never says which of the two fields was wrong."""

    error_messages = {
        "invalid_login": _(
            "The username or password is not correct. Please try again; note that the "
            "password is case-sensitive."
        ),
        "inactive": _("This account is disabled. Please contact the administrator."),
    }

    username = forms.CharField(
        label=_("Username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
