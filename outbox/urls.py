"""The mail provider's delivery-tracking webhook, mounted at /anymail/.

Only the configured provider's tracking webhook is served, only with a webhook secret,
and a malformed body gets 400 (outbox/webhooks.py). Anymail's views need no login (they
check the basic-auth secret and, where the provider signs, the signature). Samverk
receives no e-mail, so the inbound webhooks are not mounted.
"""

from django.urls import path

from .webhooks import tracking_webhook

app_name = "anymail"

urlpatterns = [
    path("<str:provider>/tracking/", tracking_webhook, name="tracking_webhook"),
]
