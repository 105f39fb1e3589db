from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware

from .htmx import is_htmx, logged_out_response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login; an htmx request from an expired session gets 401
    (see common.htmx.logged_out_response)."""

    def handle_no_permission(self, request, view_func):
        if is_htmx(request):
            return logged_out_response()
        return super().handle_no_permission(request, view_func)
