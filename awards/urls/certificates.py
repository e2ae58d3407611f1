"""URLs of the awards stage: certificates (composed in ``awards.urls``)."""

from django.urls import path

from ..views import certificates as views

urlpatterns: list = [
    path(
        "quyet-dinh/<int:pk>/giay-chung-nhan/",
        views.certificates,
        name="certificates",
    ),
]
