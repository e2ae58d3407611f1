"""URLs of the awards stage: proposals (composed in ``awards.urls``)."""

from django.urls import path

from ..views import proposals

urlpatterns: list = [
    path("to-trinh/", proposals.proposal_list, name="proposal_list"),
    path("to-trinh/moi/", proposals.proposal_create, name="proposal_create"),
    path("to-trinh/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("to-trinh/<int:pk>/gui/", proposals.proposal_send, name="proposal_send"),
    path("to-trinh/<int:pk>/danh-sach.pdf", proposals.proposal_pdf, name="proposal_pdf"),
    path(
        "to-trinh/<int:pk>/dong/<int:line_pk>/sua/",
        proposals.proposal_line_update,
        name="proposal_line_update",
    ),
    path(
        "to-trinh/<int:pk>/dong/<int:line_pk>/bo/",
        proposals.proposal_line_remove,
        name="proposal_line_remove",
    ),
]
