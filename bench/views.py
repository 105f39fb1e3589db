"""The load bench's reference pages, routed by bench.urls only (``manage.py bench --http``
serves them with bench.settings).

Both need a login like every page (the login middleware applies), so they pay the
same session and user lookups.
"""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from cases.access import get_case_for_user
from cases.enums import CaseAction
from parties.models import SamverkArea


@require_GET
def baseline(request):
    area = SamverkArea.objects.only("pk", "name").order_by("pk").first()
    return render(request, "bench/baseline.html", {"area": area})


@require_GET
def page_floor(request, pk):
    """What every ärende page must do before it shows anything of its own: the access check
    (404 for the uninvolved), the audit row of the read (DESIGN.md), and the layout with the
    individual's name as its h1. The bench reports it beside the pages, without a target: the
    share of the budget that no page can save."""
    case = get_case_for_user(request.user, pk)
    case.log(request.user, CaseAction.VIEWED)
    return render(request, "bench/page_floor.html", {"case": case})
