"""The reports pages under ``/bao-cao/`` (``reports.views``)."""

from django.urls import path

from .urls_dashboard import urlpatterns as dashboard_urlpatterns
from .views import annual, home, issuers, plans, runs, summary

app_name = "reports"

urlpatterns = [
    path("", home.reports_home, name="home"),
    path("nam/<int:pk>/noi-dung/", annual.narrative_edit, name="narrative_edit"),
    path("nam/<int:pk>/xem-truoc/", annual.annual_preview, name="annual_preview"),
    path("nam/<int:pk>/yeu-cau/", annual.annual_request, name="annual_request"),
    path("tong-ket/", summary.summary_request, name="summary"),
    path("lan-lap/<int:pk>/", runs.report_detail, name="report_detail"),
    path("lan-lap/<int:pk>/tai-ve/<str:fmt>/", runs.report_download, name="report_download"),
    path("lan-lap/<int:pk>/lap-lai/", runs.report_retry, name="report_retry"),
    path("co-quan-ban-hanh/", issuers.issuer_list, name="issuer_list"),
    path("co-quan-ban-hanh/moi/", issuers.issuer_create, name="issuer_create"),
    path("co-quan-ban-hanh/<int:pk>/sua/", issuers.issuer_update, name="issuer_update"),
    path("ke-hoach/", plans.plan_overview, name="plan_overview"),
    path("ke-hoach/cua-don-vi/", plans.my_plan, name="my_plan"),
    path("ke-hoach/<int:campaign_pk>/don-vi/<int:unit_pk>/", plans.plan_edit, name="plan_edit"),
    path(
        "ke-hoach/<int:campaign_pk>/don-vi/<int:unit_pk>/xoa/",
        plans.plan_remove,
        name="plan_remove",
    ),
    path("ke-hoach/<int:campaign_pk>/don-vi/<int:unit_pk>/tep/", plans.plan_file, name="plan_file"),
]

urlpatterns += dashboard_urlpatterns
