from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .htmx import session_required


@session_required()
@require_GET
def keepalive(request):
    """Pinged every few minutes by an open meeting or plan page, so the session does
    not expire while someone writes."""
    request.session.modified = True  # saving it again moves its expiry forward
    return HttpResponse(status=204)
