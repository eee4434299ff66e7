"""The site's URLs plus the one-query "floor" view, used only by ``manage.py bench``."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from servicecraft.models import Department
from servicecraft.urls import handler403, handler404, handler500
from servicecraft.urls import urlpatterns as site_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def floor(request: HttpRequest) -> JsonResponse:
    """One query and a tiny response: the least any page can cost on this machine."""
    return JsonResponse({"departments": Department.objects.count()})


urlpatterns = [path("__bench__/floor", floor, name="bench_floor"), *site_urlpatterns]
