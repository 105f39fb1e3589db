"""The main menu's Uppföljning (templates/base.html): one address for every signed-in
staff member, so the layout asks the database nothing for it. Those who read an area's
statistics (its coordinators, the administrators, the styrgrupp's members) land on the
first area's Statistik; everyone else on their own avvikelser, where they report one."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET

from ..access import menu_area_slug


@login_required
@require_GET
def followup_home(request):
    slug = menu_area_slug(request.user)
    if slug:
        return redirect("followup:statistics", area_slug=slug)
    return redirect("followup:deviation_mine")
