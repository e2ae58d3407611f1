"""URLs of the awards stage: award types (composed in ``awards.urls``)."""

from django.urls import path

from ..views import types

urlpatterns = [
    path("hinh-thuc/", types.type_list, name="type_list"),
    path("hinh-thuc/moi/", types.type_edit, name="type_create"),
    path("hinh-thuc/<int:pk>/sua/", types.type_edit, name="type_update"),
]
