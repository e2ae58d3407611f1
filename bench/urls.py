"""The product's URLs plus the bench's floor page (``/__floor__/``, not in the product).

The floor is the cheapest page a logged-in user can be shown: 50 models with their unit
(one join), rendered through ``base.html`` like every page of the product (menu, account
menu, messages). ``bench/dashboard.py`` measures a bare variant of the same query in process.
The pages of the product are compared with it in the same run: the issue's budgets are
ratios to the floor, so they hold on any machine.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

from danvan.urls import handler403, handler404, handler500  # noqa: F401 -- same error pages

FLOOR = engines["django"].from_string(
    """{% extends "base.html" %}{% block content %}
<h1>Floor</h1>
<table class="table table-stack">
  <thead><tr><th>Model</th><th>Unit</th></tr></thead>
  <tbody>{% for m in rows %}
    <tr><td data-label="Model">{{ m.name }}</td><td data-label="Unit">{{ m.unit.name }}</td></tr>{% endfor %}
  </tbody>
</table>
{% endblock content %}"""
)


def floor(request):
    """50 models and their unit, through base.html (logged in: LoginRequiredMiddleware)."""
    from models_registry.models import DvkModel

    rows = DvkModel.objects.select_related("unit").order_by("pk")[:50]
    return HttpResponse(FLOOR.render({"rows": rows}, request))


urlpatterns = [path("__floor__/", floor, name="bench_floor"), path("", include("danvan.urls"))]
