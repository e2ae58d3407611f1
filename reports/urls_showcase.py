"""The showcase of exemplary models (thư viện mô hình tiêu biểu) under ``/thu-vien/``,
namespace ``showcase``: the signed-in library, its entries, the secretariat's publishing
and the optional public page (no login)."""

from django.urls import path

from .views import showcase, similar

app_name = "showcase"

urlpatterns = [
    path("", showcase.library, name="library"),
    path("<int:pk>/", showcase.entry, name="entry"),
    path("<int:pk>/cong-bo/", showcase.publish, name="publish"),
    path("<int:pk>/thoi-cong-bo/", showcase.unpublish, name="unpublish"),
    path("anh/<int:pk>/", showcase.photo, name="photo"),
    path("cai-dat/", showcase.settings, name="settings"),
    path("cong-khai/", showcase.public, name="public"),
    path("cong-khai/<int:pk>/", showcase.public_entry, name="public_entry"),
    path("cong-khai/anh/<int:pk>/", showcase.public_photo, name="public_photo"),
    path("tuong-tu/", similar.similar, name="similar"),
]
