"""URLs of the awards stage: the register (composed in ``awards.urls``)."""

from django.urls import path

from ..views import register as views

urlpatterns: list = [
    path("", views.award_register, name="register"),
    path("so-khen-thuong.xlsx", views.award_register_xlsx, name="register_xlsx"),
]
