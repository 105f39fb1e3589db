"""The mail provider's delivery-tracking webhook, mounted at /anymail/.

Only the configured provider's tracking webhook is served, only with a webhook secret,
and a malformed body gets 400 (outbox/webhooks.py). Anymail's views need no login (they
check the basic-auth secret and, where the provider signs, the signature). The same
provider's inbound webhook takes the calendar answers sent to CALENDAR_REPLY_ADDRESS
(meetings.receivers); no other provider's is mounted.
"""

from django.urls import path

from .webhooks import inbound_webhook, tracking_webhook

app_name = "anymail"

urlpatterns = [
    path("<str:provider>/tracking/", tracking_webhook, name="tracking_webhook"),
    path("<str:provider>/inbound/", inbound_webhook, name="inbound_webhook"),
]
