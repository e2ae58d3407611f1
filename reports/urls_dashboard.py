"""The leaders' dashboard under ``/bao-cao/tong-quan/`` (part of the ``reports`` namespace)."""

from django.urls import path

from .views import dashboard

urlpatterns = [
    path("tong-quan/", dashboard.dashboard, name="dashboard"),
    path("tong-quan/in/", dashboard.dashboard_pdf, name="dashboard_pdf"),
]
