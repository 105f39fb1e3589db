from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from .htmx import is_htmx, logged_out_response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Every page needs a login; an htmx request from an expired session gets 401
    (see common.htmx.logged_out_response)."""

    def handle_no_permission(self, request, view_func):
        if is_htmx(request):
            return logged_out_response()
        return super().handle_no_permission(request, view_func)


class RequestTooBigMiddleware:
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE (a 2.6 MB paste) gets 413 with a Swedish
    message (templates/413.html, or for htmx a line the page shows beside the field), not
    Django's 400 or its English debug page.

    The form body is read here, before the CSRF check would read it; a view that reads
    the raw body itself (the mail provider's webhook) raises later, in the view.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH"):
            try:
                request.POST  # noqa: B018 -- parsed (or refused) here
            except RequestDataTooBig:
                request._mark_post_parse_error()
                return too_big_response(request)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RequestDataTooBig):
            return too_big_response(request)
        return None


def too_big_response(request) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    message = _(
        "Det du skickade är för stort för att tas emot (högst %(limit)s MB text på en gång). "
        "Inget har sparats. Korta texten eller dela upp den och försök igen."
    ) % {"limit": f"{limit:.1f}".replace(".", ",").replace(",0", "")}
    if is_htmx(request):
        return HttpResponse(
            f'<span class="text-danger" role="alert" data-error>{escape(message)}</span>',
            status=413,
        )
    return render(request, "413.html", {"message": message}, status=413)
