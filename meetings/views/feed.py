"""Prenumerera på mina möten: the page with the personal feed address, renewing it, and the
feed itself (no login: the secret token is the authentication; hidden in logs)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View

from ..services import feed


class SubscribeView(View):
    def get(self, request, *args, **kwargs):
        subscription = feed.feed_for(request.user)
        return render(
            request,
            "meetings/subscribe.html",
            {"urls": feed.feed_urls(subscription), "feed": subscription, "nav": "calendar"},
        )


class RenewFeedView(View):
    def post(self, request, *args, **kwargs):
        feed.renew_feed(request.user)
        messages.success(
            request,
            _(
                "Du har fått en ny adress. Den gamla slutar fungera: lägg till den nya i din "
                "kalender."
            ),
        )
        return HttpResponseRedirect(reverse("meetings:subscribe"))


@method_decorator(login_not_required, name="dispatch")
class FeedView(View):
    def get(self, request, token, *args, **kwargs):
        user = feed.user_for_token(token)
        if user is None:
            raise Http404
        response = HttpResponse(feed.feed_ics(user), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="samverk.ics"'
        patch_cache_control(response, private=True, no_store=True)
        return response
