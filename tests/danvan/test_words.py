"""Words from the directives (issue 13): Django's "---------" empty option reads
"— Chọn <field> —" in forms and filters, and a submitted model's badge is not red."""

import django_filters
import pytest
from django.template.loader import render_to_string
from django.utils.translation import gettext

from awards.filters import AwardRegisterFilter
from danvan.forms import DJANGO_EMPTY_LABEL, with_choose_labels
from danvan.models import Unit
from models_registry.enums import ModelStatus
from models_registry.forms import DeadlineExtensionForm, DvkModelForm
from models_registry.models import DvkModel, Field
from tests.factories import FieldFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def _choose(label: str) -> str:
    text = gettext(label)
    return gettext("— Choose %(what)s —") % {"what": text[:1].lower() + text[1:]}


def _first_option(html: str) -> str:
    start = html.index("<option")
    return html[html.index(">", start) + 1 : html.index("</option>", start)]


def test_unit_select_of_a_form_says_choose_a_unit():
    UnitFactory(name="Xã Cẩm Xuyên")

    html = str(DeadlineExtensionForm(units=Unit.objects.all())["unit"])

    assert _first_option(html) == _choose("Unit")
    assert DJANGO_EMPTY_LABEL not in html


def test_registration_field_select_says_choose_a_field():
    FieldFactory(name="Kinh tế")

    form = DvkModelForm(
        fields_queryset=Field.objects.all(), replicates_queryset=DvkModel.objects.none()
    )

    assert _first_option(str(form["field"])) == _choose("Field")


class _KindFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="Loại", choices=[("a", "A")])

    class Meta:
        model = Unit
        fields = []


def test_filter_select_says_choose_and_explicit_labels_are_kept():
    kind_form = with_choose_labels(_KindFilter({}, queryset=Unit.objects.none()).form)
    user = UserFactory(is_superuser=True)
    register_form = with_choose_labels(AwardRegisterFilter({}, user=user).form)

    assert _first_option(str(kind_form["kind"])) == gettext("— Choose %(what)s —") % {
        "what": "loại"
    }
    assert _first_option(str(register_form["award_type"])) == gettext("All award types")


@pytest.mark.parametrize("status", list(ModelStatus))
def test_status_badge_is_never_red(status):
    html = render_to_string(
        "models_registry/includes/status_badge.html", {"status": status, "label": status.label}
    )

    assert "text-bg-primary" not in html
    assert "text-bg-danger" not in html


def test_submitted_badge_is_the_neutral_waiting_colour():
    html = render_to_string(
        "models_registry/includes/status_badge.html",
        {"status": ModelStatus.SUBMITTED, "label": ModelStatus.SUBMITTED.label},
    )

    assert "badge-waiting" in html
