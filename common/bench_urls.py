"""The site's URLs plus the one-query "floor" view, used only by ``manage.py bench``."""

from importlib import import_module

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path

# The bench swaps ROOT_URLCONF for this module and names the site's own URLconf in
# BENCH_SITE_URLCONF, so that this generic module names no app.
_site = import_module(settings.BENCH_SITE_URLCONF)
handler403 = _site.handler403
handler404 = _site.handler404
handler500 = _site.handler500


def floor(request: HttpRequest) -> JsonResponse:
    """One query and a tiny response: the least any page can cost on this machine."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_content_type")
        (count,) = cursor.fetchone()
    return JsonResponse({"content_types": count})


urlpatterns = [path("__bench__/floor", floor, name="bench_floor"), *_site.urlpatterns]
