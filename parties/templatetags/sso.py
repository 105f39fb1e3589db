"""The login page's "Logga in med <organisation>" buttons (templates/account/login.html)."""

from django import template

from ..sso import active_providers

register = template.Library()


@register.simple_tag(takes_context=True)
def sso_buttons(context):
    """One (label, login URL) per active identity provider; the URL keeps the page's
    ``next`` so the user lands where they were going."""
    request = context["request"]
    next_url = context.get("redirect_field_value") or ""
    buttons = []
    for provider in active_providers():
        params = {"next": next_url} if next_url else {}
        url = provider.app.get_provider(request).get_login_url(request, **params)
        buttons.append({"label": provider.button_label, "url": url})
    return buttons
