"""Filters for the HTML part of e-mail (templates/emails/*-body.html)."""

from django import template
from django.utils.html import urlize
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=True)
def links(value, autoescape=True):
    """Free text with its web and e-mail addresses as links, the rest escaped. Unlike the
    built-in ``urlize`` no rel="nofollow": a message is not a web page."""
    return mark_safe(urlize(str(value), autoescape=autoescape))
