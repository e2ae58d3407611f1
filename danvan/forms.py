from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.functional import lazy
from django.utils.translation import gettext
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


# --- The empty option of a select ---------------------------------------------------------

DJANGO_EMPTY_LABEL = "---------"


def _choose(label) -> str:
    if not label:
        return gettext("— Choose —")
    text = str(label)
    return gettext("— Choose %(what)s —") % {"what": text[:1].lower() + text[1:]}


# "— Chọn lĩnh vực —" for a field labelled "Lĩnh vực", in the language of the request.
choose_label = lazy(_choose, str)


def with_choose_labels(form):
    """Give every select of ``form`` (a Django form or a django-filter form) that still
    shows Django's "---------" empty option the label "— Chọn <its label> —" instead.
    Empty labels a form sets itself ("All fields", "(top-level field)") are kept. Returns
    the form."""
    for field in form.fields.values():
        label = choose_label(field.label)
        if getattr(field, "empty_label", None) == DJANGO_EMPTY_LABEL:
            field.empty_label = label
            if not isinstance(field, forms.ModelChoiceField):
                # django-filter's choice iterator reads empty_label from the field it was
                # made for; the widget's copy still points at the class's field.
                field.widget.choices = field.choices
        if isinstance(field, forms.ModelChoiceField) and not hasattr(field, "_choices"):
            continue  # choices read from the queryset, after empty_label: no query here
        if isinstance(field, forms.ChoiceField) and not isinstance(
            field, forms.MultipleChoiceField
        ):
            choices = list(field.choices)
            if choices and tuple(choices[0]) == ("", DJANGO_EMPTY_LABEL):
                field.choices = [("", label), *choices[1:]]
    return form


class ChooseLabelsMixin:
    """For a form class: ``with_choose_labels`` once the fields exist."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        with_choose_labels(self)
