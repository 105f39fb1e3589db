import logging
import re
import time
import uuid

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import RequestDataTooBig
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.translation import gettext as _

from .htmx import is_htmx, logged_out_response
from .logging import request_id_var, user_id_var


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


def _now() -> float:
    # One place for the clock, so tests can move it.
    return time.time()


LOGIN_AT = "_samverk_login_at"
LAST_ACTIVITY = "_samverk_last_activity"
# Writing the session on every request costs a database write each time; a minute of
# precision is plenty for a 30-minute idle limit (less for a short one, as in the tests).
ACTIVITY_RESOLUTION = 60


@receiver(user_logged_in)
def _start_session_clock(sender, request, user, **kwargs):
    # Django keeps the session's data when the same user logs in again; the clocks start anew.
    if request is not None and hasattr(request, "session"):
        now = _now()
        request.session[LOGIN_AT] = now
        request.session[LAST_ACTIVITY] = now


class SessionTimeoutMiddleware:
    """Idle timeout (SESSION_IDLE_TIMEOUT) and absolute limit (SESSION_ABSOLUTE_TIMEOUT).

    Every request of a logged-in user is activity. Pages that stay open without requests
    (a meeting, a plan) ping the keep-alive only after someone typed or clicked there
    (static/js/session.js), so an unattended page no longer keeps a session alive. An
    expired session is logged out (flushed) before the view runs; the login middleware
    then answers as for anyone not logged in (a redirect, or 401 for htmx).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self.check(request)
        return self.get_response(request)

    def check(self, request):
        session = request.session
        now = _now()
        login_at = session.get(LOGIN_AT)
        last = session.get(LAST_ACTIVITY)
        if login_at is None or last is None:
            # A session from before these clocks (or a test's force_login): starts now.
            session[LOGIN_AT] = login_at = now if login_at is None else login_at
            session[LAST_ACTIVITY] = last = now
        if (
            now - last > settings.SESSION_IDLE_TIMEOUT
            or now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT
        ):
            logout(request)  # flushes the session; request.user is anonymous from here
            return
        if now - last >= min(ACTIVITY_RESOLUTION, settings.SESSION_IDLE_TIMEOUT / 30):
            session[LAST_ACTIVITY] = now


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; Cache-Control: no-store on every page a
    logged-in user gets (unless the view chose its own), so Back on a shared computer after
    logging out does not show an individual's data again from the browser's cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        logged_in = user is not None and user.is_authenticated
        response = self.get_response(request)
        user = getattr(request, "user", None)  # the view may have logged someone in or out
        logged_in = logged_in or (user is not None and user.is_authenticated)
        if settings.PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.PERMISSIONS_POLICY
        if logged_in and not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,128}$")
request_logger = logging.getLogger("samverk.request")


class RequestLogMiddleware:
    """One line per request with its id (X-Request-ID from the proxy when well formed, else
    new; returned in the response's X-Request-ID), the user's id (never a name), method, route
    name (never the path: it may carry a link's token), status and duration; every line logged
    while the request is served carries the same request_id and user_id
    (common.logging.RequestFields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        supplied = request.headers.get("X-Request-ID", "")
        request_id = supplied if REQUEST_ID.match(supplied) else uuid.uuid4().hex
        request.request_id = request_id
        # Kept until request_finished (below): Django logs a 4xx/5xx response (django.request)
        # after the middleware has returned it.
        request_id_var.set(request_id)
        user_id_var.set(None)
        started = time.monotonic()
        response = self.get_response(request)
        user = getattr(request, "user", None)
        user_id_var.set(user.pk if user is not None and user.is_authenticated else None)
        match = getattr(request, "resolver_match", None)
        fields = {
            "method": request.method,
            "route": match.view_name if match else None,
            "status": response.status_code,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        }
        # Plain logs (a local checkout) have runserver's or gunicorn's line per request already.
        if settings.LOG_FORMAT == "json":
            request_logger.info(
                "%(method)s %(route)s %(status)s %(duration_ms)sms", fields, extra=fields
            )
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished)
def _forget_request(sender, **kwargs):
    request_id_var.set(None)
    user_id_var.set(None)
