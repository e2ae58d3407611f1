"""The awards stage's pages under ``/khen-thuong/``, one module per area."""

from . import certificates, decisions, events, proposals, register, types

app_name = "awards"

urlpatterns = [
    *register.urlpatterns,
    *proposals.urlpatterns,
    *decisions.urlpatterns,
    *certificates.urlpatterns,
    *events.urlpatterns,
    *types.urlpatterns,
]
