from django.urls import path

from .views import feedback, review

urlpatterns: list = [
    path("phieu-cham/", review.queue, name="queue"),
    path("phieu-cham/<int:pk>/", review.sheet, name="sheet"),
    path(
        "phieu-cham/<int:pk>/tieu-chi/<int:criterion_pk>/",
        review.sheet_score,
        name="sheet_score",
    ),
    path("phieu-cham/<int:pk>/nhan-xet-chung/", review.sheet_overall, name="sheet_overall"),
    path("phieu-cham/<int:pk>/nop/", review.sheet_submit, name="sheet_submit"),
    path(
        "phieu-cham/<int:pk>/xung-dot-loi-ich/",
        review.sheet_declare_conflict,
        name="sheet_declare_conflict",
    ),
    path("ket-qua-cua-don-vi/", review.my_results, name="my_results"),
    path("ket-qua-cua-don-vi/<int:pk>/", feedback.result_feedback, name="result_feedback"),
]
