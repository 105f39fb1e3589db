"""The roster and the minnesanteckningar as PDF (WeasyPrint through common.pdf).

The roster is rendered in the request like the contact list (one page, cached by its
content); the minnesanteckningar sent to the members are rendered by the outbox worker
(groups.minutes builder), never in the request that sends them."""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone

from common.pdf import html_to_pdf

from ..models import Group, GroupMeeting
from .roster import current_members

PDF_CACHE_TIMEOUT = 60 * 60


def roster_html(group: Group) -> str:
    return render_to_string(
        "groups/pdf/roster.html",
        {"group": group, "members": current_members(group), "printed_on": timezone.localdate()},
    )


def roster_pdf(group: Group) -> bytes:
    html = roster_html(group)
    key = f"groups:roster_pdf:{group.pk}:{hashlib.sha256(html.encode()).hexdigest()}"
    pdf = cache.get(key)
    if pdf is None:
        pdf = html_to_pdf(html)
        cache.set(key, pdf, PDF_CACHE_TIMEOUT)
    return pdf


def minutes_html(meeting: GroupMeeting) -> str:
    from .minutes import carried_over

    version = meeting.versions.order_by("-number").first()
    return render_to_string(
        "groups/pdf/minutes.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "version": version,
            "data": version.snapshot if version else None,
            "carried": list(carried_over(meeting)),
        },
    )


def render_minutes_pdf(meeting: GroupMeeting) -> bytes:
    return html_to_pdf(minutes_html(meeting))
