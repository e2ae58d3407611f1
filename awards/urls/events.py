"""URLs of the awards stage: honouring events (composed in ``awards.urls``)."""

from django.urls import path

from ..views import events

urlpatterns = [
    path("bieu-duong/", events.event_list, name="event_list"),
    path("bieu-duong/moi/", events.event_edit, name="event_create"),
    path("bieu-duong/<int:pk>/", events.event_detail, name="event_detail"),
    path("bieu-duong/<int:pk>/sua/", events.event_edit, name="event_update"),
]
