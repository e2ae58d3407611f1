from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views, views_generated, views_notifications
from .forms import LoginForm

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("mat-khau/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "mat-khau/xong/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("don-vi/", views.unit_tree, name="unit_tree"),
    path("don-vi/<int:pk>/", views.UnitDetailView.as_view(), name="unit_detail"),
    path("nhat-ky/", views.activity_list, name="activity_list"),
    path("tep/<int:pk>/", views_generated.generated_file_detail, name="generated_file"),
    path(
        "tep/<int:pk>/tai-ve/",
        views_generated.generated_file_download,
        name="generated_file_download",
    ),
    path("thong-bao/", views_notifications.notification_list, name="notification_list"),
    path(
        "thong-bao/cai-dat/",
        views_notifications.notification_preferences,
        name="notification_preferences",
    ),
    path("thong-bao/chuong/", views_notifications.notification_bell, name="notification_bell"),
    path(
        "thong-bao/da-doc-het/",
        views_notifications.notification_mark_all_read,
        name="notification_mark_all_read",
    ),
    path(
        "thong-bao/<int:pk>/mo/",
        views_notifications.notification_open,
        name="notification_open",
    ),
    path("mo-hinh/", include("models_registry.urls")),
    path("cham-diem/", include("evaluation.urls")),
    path("khen-thuong/", include("awards.urls")),
    path("bao-cao/", include("reports.urls")),
    path("thu-vien/", include("reports.urls_showcase")),
    path("healthz", views.health, name="health"),
    # The language switch works on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("quan-tri/", admin.site.urls),
]

handler403 = "danvan.views.error_403"
handler404 = "danvan.views.error_404"
handler500 = "danvan.views.error_500"

if settings.DEBUG:  # pragma: no cover -- developer convenience only
    urlpatterns += [path("__404__/", views.error_404), path("__500__/", views.error_500)]
