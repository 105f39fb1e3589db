from django.http import HttpResponse
from django.views.decorators.http import require_GET

from .htmx import session_required


@session_required()
@require_GET
def keepalive(request):
    """Pinged by an open meeting or plan page every few minutes while someone types or
    clicks there, and by the idle warning's button: the request is activity, so the idle
    limit moves (common.middleware.SessionTimeoutMiddleware); the absolute one does not."""
    request.session.modified = True  # saving it again moves its expiry forward
    return HttpResponse(status=204)
