"""htmx requests, and what one from an expired session gets."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def logged_out_response(message: str | None = None) -> HttpResponse:
    """401 for an htmx request without a session.

    A redirect would swap the login page into the part of the page being saved; a 401
    lets the page keep what the user typed and ask them to log in again.
    """
    text = escape(message or _("Du har loggats ut – logga in igen i en ny flik och försök igen."))
    response = HttpResponse(
        f'<span class="text-danger" role="alert" data-logged-out>{text}</span>', status=401
    )
    response["WWW-Authenticate"] = 'Session realm="Samverk"'
    return response


def session_required(message: str | None = None):
    """Decorator: the login middleware's rule with the view's own logged-out message.

    Views that save text the user is typing say that the text is kept; everything
    else gets the middleware's answer.
    """

    def decorator(view):
        @login_not_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                if is_htmx(request):
                    return logged_out_response(message)
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
