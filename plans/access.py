"""Who may reach a plan, and what an expired session gets from the autosave."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.translation import gettext as _

from meetings.access import PAGE_RELATED, get_meeting_for_user

from .services import get_or_create_plan


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def session_required(view):
    """Like the login middleware, except that an htmx request without a session gets
    401 instead of a redirect to the login page: the page keeps its unsaved text and
    tells the user to log in again in another tab."""

    @login_not_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            if is_htmx(request):
                message = _("Du har loggats ut – logga in igen i en ny flik, texten sparas sedan")
                response = HttpResponse(
                    f'<span class="text-danger" data-logged-out>{message}</span>', status=401
                )
                response["WWW-Authenticate"] = 'Session realm="Samverk"'
                return response
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return wrapper


def get_plan_for_user(user, meeting_pk, related=PAGE_RELATED):
    """The meeting's plan, created on first use; 404 for anyone who can't open the ärende.
    ``related`` as for get_meeting_for_user."""
    meeting = get_meeting_for_user(user, meeting_pk, related)
    return get_or_create_plan(meeting)
