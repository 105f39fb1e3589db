"""Values every page's scripts need (the idle warning in static/js/session.js)."""

from django.conf import settings


def session_timeouts(request):
    return {
        "session_idle_timeout": settings.SESSION_IDLE_TIMEOUT,
        "session_idle_warning": settings.SESSION_IDLE_WARNING,
    }
