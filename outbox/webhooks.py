"""The mail provider's delivery-tracking webhook: only the configured provider's, only with a
secret, and a malformed body is a 400.

Anymail has a tracking view per provider; mounting them all (as its urls.py does) left, with
empty settings, four of them accepting anyone's POST and four answering 500 to a body that
was not what they expected. Here one URL pattern, ``/anymail/<provider>/tracking/``, serves
the provider Samverk sends through (MAIL_WEBHOOK_PROVIDER, or the anymail backend of
EMAIL_BACKEND); every other provider's URL is a 404. Without anymail's WEBHOOK_SECRET (the
basic-auth user:password the provider is given) it is a 404 as well, logged, and
``check --deploy`` reports it (samverk/checks.py).

The same provider's inbound webhook, ``/anymail/<provider>/inbound/``, on the same terms:
where the provider delivers mail sent to CALENDAR_REPLY_ADDRESS (calendar answers,
meetings.receivers).
"""

import logging
from functools import cache

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError
from anymail.utils import get_anymail_setting
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponseBadRequest
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

logger = logging.getLogger(__name__)

BACKEND_PREFIX = "anymail.backends."


def _views(suffix: str) -> dict:
    """provider -> anymail's view (anymail names them <provider><suffix>)."""
    return {
        entry.name.removesuffix(suffix): entry.callback
        for entry in anymail_urls.urlpatterns
        if entry.name and entry.name.endswith(suffix)
    }


@cache
def _tracking_views() -> dict:
    return _views("_tracking_webhook")


@cache
def _inbound_views() -> dict:
    """provider -> anymail's inbound view (AnymailInboundView): it parses the provider's
    payload into an AnymailInboundMessage and sends anymail.signals.inbound, which the
    apps that take mail in receive (meetings.receivers: calendar answers)."""
    return _views("_inbound_webhook")


def providers() -> list[str]:
    return sorted(_tracking_views())


def tracking_provider() -> str:
    """The provider whose webhook is served, or "" (SMTP, the console, or an unknown name)."""
    name = settings.MAIL_WEBHOOK_PROVIDER
    if not name and settings.EMAIL_BACKEND.startswith(BACKEND_PREFIX):
        # anymail.backends.<provider>.EmailBackend
        name = settings.EMAIL_BACKEND.removeprefix(BACKEND_PREFIX).split(".")[0]
    return name if name in _tracking_views() else ""


def webhook_secret() -> list[str]:
    secret = get_anymail_setting("webhook_secret", default=[])
    if isinstance(secret, str):
        secret = [secret] if secret else []
    return [value for value in secret if value]


# What a provider's payload can raise in anymail's parsing when it is not the shape it should
# be (not JSON, a list where an object belongs, a missing key). Errors of the database or of
# the outbox's own receiver are none of these and stay 500s.
MALFORMED = (ValueError, KeyError, IndexError, TypeError, AttributeError)


@csrf_exempt
@login_not_required
def tracking_webhook(request, provider):
    return _serve(request, provider, _tracking_views(), "delivery")


@csrf_exempt
@login_not_required
def inbound_webhook(request, provider):
    """The provider's inbound webhook (mail to CALENDAR_REPLY_ADDRESS: calendar answers),
    served on the same terms as the tracking webhook: the configured provider only, only
    with the webhook secret, a malformed body a 400."""
    return _serve(request, provider, _inbound_views(), "inbound")


def _serve(request, provider, views, what):
    served = tracking_provider()
    if not served or provider != served or served not in views:
        raise Http404
    if not webhook_secret():
        logger.warning(
            "The %s %s webhook is not served: ANYMAIL's WEBHOOK_SECRET is not set.", served, what
        )
        raise Http404
    view = views[served]
    try:
        return view(request)
    except AnymailConfigurationError:
        # The provider's own keys (e.g. its signing key) are missing here.
        raise Http404 from None
    except MALFORMED as error:
        logger.warning("Malformed %s webhook body: %s", served, type(error).__name__)
        return HttpResponseBadRequest(_("Ogiltig begäran."), content_type="text/plain")
