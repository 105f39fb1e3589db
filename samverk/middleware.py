from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpResponse
from django.utils.html import escape
from django.utils.translation import gettext as _


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login; an htmx request from an expired session gets 401.

    A redirect would swap the login page into the part of the page being saved;
    a 401 lets the page keep what the user typed and ask them to log in again.
    """

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            message = escape(_("Du har loggats ut – logga in igen i en ny flik och försök igen."))
            response = HttpResponse(
                f'<span class="text-danger" role="alert" data-logged-out>{message}</span>',
                status=401,
            )
            response["WWW-Authenticate"] = 'Session realm="Samverk"'
            return response
        return super().handle_no_permission(request, view_func)
