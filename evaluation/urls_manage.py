from django.urls import path

from .views import manage

urlpatterns: list = [
    # The secretariat's pages (evaluation.views.manage).
    path("bo-tieu-chi/", manage.rubric_list, name="rubric_list"),
    path("bo-tieu-chi/moi/", manage.rubric_create, name="rubric_create"),
    path("bo-tieu-chi/<int:pk>/", manage.rubric_detail, name="rubric_detail"),
    path(
        "bo-tieu-chi/<int:pk>/phien-ban-moi/",
        manage.rubric_new_version,
        name="rubric_new_version",
    ),
    path("ban-chi-dao/", manage.committee_list, name="committee_list"),
    path("ban-chi-dao/moi/", manage.committee_create, name="committee_create"),
    path("ban-chi-dao/<int:pk>/", manage.committee_detail, name="committee_detail"),
    path("thanh-vien/<int:pk>/sua/", manage.member_update, name="member_update"),
    path("thanh-vien/<int:pk>/ngung/", manage.member_deactivate, name="member_deactivate"),
    path("dot-cham/", manage.round_list, name="round_list"),
    path("dot-cham/moi/", manage.round_create, name="round_create"),
    path("dot-cham/<int:pk>/", manage.round_detail, name="round_detail"),
    path("dot-cham/<int:pk>/sua/", manage.round_update, name="round_update"),
    path("dot-cham/<int:pk>/lay-mo-hinh/", manage.round_populate, name="round_populate"),
    path("dot-cham/<int:pk>/mo/", manage.round_open, name="round_open"),
    path(
        "dot-cham/<int:pk>/mo-hinh/<int:entry_pk>/bo/",
        manage.round_entry_remove,
        name="round_entry_remove",
    ),
    path("dot-cham/<int:pk>/phan-cong/", manage.round_assignments, name="round_assignments"),
    path("dot-cham/<int:pk>/phan-cong/tu-dong/", manage.assignments_auto, name="assignments_auto"),
    path("dot-cham/<int:pk>/phan-cong/them/", manage.assignments_bulk, name="assignments_bulk"),
    path(
        "dot-cham/<int:pk>/phan-cong/<int:assignment_pk>/bo/",
        manage.assignment_remove,
        name="assignment_remove",
    ),
    path(
        "dot-cham/<int:pk>/phan-cong/<int:assignment_pk>/xung-dot/",
        manage.assignment_resolve,
        name="assignment_resolve",
    ),
    path("dot-cham/<int:pk>/mo-lai-phieu/", manage.sheet_reopen, name="sheet_reopen"),
    path("dot-cham/<int:pk>/nhac/", manage.round_remind, name="round_remind"),
    path("dot-cham/<int:pk>/ket-qua/", manage.round_results, name="round_results"),
    path(
        "dot-cham/<int:pk>/ket-qua/nguoi-cham/",
        manage.round_results_reviewers,
        name="round_results_reviewers",
    ),
    path("dot-cham/<int:pk>/chot/", manage.round_finalise, name="round_finalise"),
    path(
        "dot-cham/<int:pk>/ket-qua/mo-hinh/<int:entry_pk>/",
        manage.entry_sheets,
        name="entry_sheets",
    ),
    path(
        "dot-cham/<int:pk>/ket-qua/<int:result_pk>/tieu-bieu/",
        manage.result_exemplary,
        name="result_exemplary",
    ),
    path(
        "dot-cham/<int:pk>/ket-qua/<int:result_pk>/de-cu/",
        manage.result_nominate,
        name="result_nominate",
    ),
]
