from .urls_manage import urlpatterns as manage_urlpatterns
from .urls_review import urlpatterns as review_urlpatterns

app_name = "evaluation"

urlpatterns = manage_urlpatterns + review_urlpatterns
