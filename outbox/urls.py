"""The mail provider's delivery-tracking webhooks, mounted at /anymail/.

Only anymail's tracking webhooks are exposed: Samverk receives no e-mail, so
the inbound ones stay off. Anymail's views need no login (they are marked
login_not_required and check the provider's signature or basic auth). A
provider that is not configured answers 404 instead of a 500 error.
"""

from functools import wraps

from anymail import urls as anymail_urls
from anymail.exceptions import AnymailConfigurationError
from django.http import Http404
from django.urls import URLPattern

app_name = "anymail"


def configured_only(view):
    @wraps(view)  # keeps csrf_exempt and login_required=False from anymail's view
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except AnymailConfigurationError:
            # The view could not even be set up: this provider has no keys here.
            raise Http404 from None

    return wrapper


urlpatterns = [
    URLPattern(entry.pattern, configured_only(entry.callback), entry.default_args, entry.name)
    for entry in anymail_urls.urlpatterns
    if entry.name and entry.name.endswith("_tracking_webhook")
]
