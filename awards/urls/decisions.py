"""URLs of the awards stage: decisions (composed in ``awards.urls``)."""

from django.urls import path

from ..views import decisions as views

urlpatterns: list = [
    path("quyet-dinh/", views.decision_list, name="decision_list"),
    path("quyet-dinh/moi/", views.decision_create, name="decision_create"),
    path("quyet-dinh/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("quyet-dinh/<int:pk>/sua/", views.decision_update, name="decision_update"),
    path("quyet-dinh/<int:pk>/ban-scan/", views.decision_scan, name="decision_scan"),
    path("quyet-dinh/<int:pk>/ban-hanh/", views.decision_issue, name="decision_issue"),
    path("quyet-dinh/<int:pk>/thu-hoi/", views.decision_revoke, name="decision_revoke"),
    path("quyet-dinh/<int:pk>/khen-thuong/them/", views.award_create, name="award_create"),
    path(
        "quyet-dinh/<int:pk>/khen-thuong/<int:award_pk>/sua/",
        views.award_update,
        name="award_update",
    ),
    path(
        "quyet-dinh/<int:pk>/khen-thuong/<int:award_pk>/xoa/",
        views.award_remove,
        name="award_remove",
    ),
    path(
        "quyet-dinh/<int:pk>/khen-thuong/<int:award_pk>/thu-hoi/",
        views.award_revoke,
        name="award_revoke",
    ),
]
