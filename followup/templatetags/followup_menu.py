"""The main menu's Uppföljning link (templates/base.html), for those who read statistics:
the areas' coordinators, the administrators and the styrgrupp members.

The answer is kept a minute per user in the cache, so the layout does not ask the database
on every page; it is only a link (a role taken away shows it at most a minute longer, and
the statistics pages check access themselves)."""

from django import template
from django.core.cache import cache

from ..access import menu_area_slug

register = template.Library()

MENU_SECONDS = 60


@register.simple_tag(takes_context=True)
def followup_menu_slug(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    key = f"followup-menu:{user.pk}"
    slug = cache.get(key)
    if slug is None:
        slug = menu_area_slug(user)
        cache.set(key, slug, MENU_SECONDS)
    return slug
