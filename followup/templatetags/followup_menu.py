"""The main menu's Uppföljning link (templates/base.html), for those who read statistics:
the areas' coordinators, the administrators and the styrgrupp members."""

from django import template

from ..access import menu_area_slug

register = template.Library()


@register.simple_tag(takes_context=True)
def followup_menu_slug(context) -> str:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return menu_area_slug(user) if user is not None else ""
