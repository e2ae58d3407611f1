from django.urls import path

from . import views

app_name = "models_registry"

urlpatterns = [
    path("", views.my_models, name="my_models"),
    path("dang-ky/", views.model_create, name="model_create"),
    path("dang-ky/luu-tu-dong/", views.model_autosave_new, name="model_autosave_new"),
    path("duy-tri/", views.carry_over, name="carry_over"),
    path("tim-mo-hinh/", views.replication_search, name="replication_search"),
    path("<int:pk>/", views.model_detail, name="model_detail"),
    path("<int:pk>/sua/", views.model_update, name="model_update"),
    path("<int:pk>/luu-tu-dong/", views.model_autosave, name="model_autosave"),
    path("<int:pk>/xoa/", views.model_delete, name="model_delete"),
    path("<int:pk>/gui/", views.model_submit, name="model_submit"),
    path("<int:pk>/rut/", views.model_withdraw, name="model_withdraw"),
    path("<int:pk>/tiep-nhan/", views.model_accept, name="model_accept"),
    path("<int:pk>/tra-lai/", views.model_return, name="model_return"),
    path("<int:pk>/tep/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/ket-qua/", views.result_report, name="result_report"),
    path(
        "<int:pk>/ket-qua/luu-tu-dong/",
        views.result_report_autosave,
        name="result_report_autosave",
    ),
    path("tep/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("tep/<int:pk>/xem/", views.attachment_preview, name="attachment_preview"),
    path("tep/<int:pk>/xoa/", views.attachment_delete, name="attachment_delete"),
    path("tep/<int:pk>/thu-vien/", views.attachment_public, name="attachment_public"),
    path("tiep-nhan/", views.intake, name="intake"),
    path("tiep-nhan/xuat-excel/", views.intake_export, name="intake_export"),
    path("tiep-nhan/tiep-nhan-da-chon/", views.intake_accept_many, name="intake_accept_many"),
    path("tiep-nhan/tra-lai-da-chon/", views.intake_return_many, name="intake_return_many"),
    path("linh-vuc/", views.field_list, name="field_list"),
    path("linh-vuc/moi/", views.field_edit, name="field_create"),
    path("linh-vuc/<int:pk>/sua/", views.field_edit, name="field_update"),
    path("dot/", views.campaign_list, name="campaign_list"),
    path("dot/moi/", views.campaign_create, name="campaign_create"),
    path("dot/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("dot/<int:pk>/sua/", views.campaign_update, name="campaign_update"),
    path("dot/<int:pk>/chi-tieu/", views.campaign_indicators, name="campaign_indicators"),
    path("dot/<int:pk>/gia-han/", views.campaign_extend, name="campaign_extend"),
    path("dot/<int:pk>/chua-dang-ky/", views.coverage, name="coverage"),
    path("dot/<int:pk>/chua-dang-ky/nhac/", views.coverage_remind, name="coverage_remind"),
]
