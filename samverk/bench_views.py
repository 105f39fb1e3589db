"""The load bench's baseline: the least a page can do. Served only with
``BENCH_ENDPOINTS=1`` (``manage.py bench --http`` sets it for its gunicorn).

It needs a login like every page (the login middleware applies), so it pays the
same session and user lookups; the pages are compared with it.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from parties.models import SamverkArea


@require_GET
def baseline(request):
    area = SamverkArea.objects.only("pk", "name").order_by("pk").first()
    return render(request, "bench/baseline.html", {"area": area})
