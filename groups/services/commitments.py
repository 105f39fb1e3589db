"""The user's open uppdrag on "Mina åtaganden" (registered with common.commitments)."""

from django.template.loader import render_to_string

from .minutes import open_assignments_for


def uppdrag_section(request) -> str:
    if not request.user.is_authenticated:
        return ""
    assignments = list(open_assignments_for(request.user))
    if not assignments:
        return ""
    return render_to_string(
        "groups/_my_assignments.html", {"assignments": assignments}, request=request
    )
