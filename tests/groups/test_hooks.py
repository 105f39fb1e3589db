"""The groups' uppdrag on Mina åtaganden, and their reminders in send_reminders."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from groups.models import GroupAttendee
from groups.services import invitations, minutes


def test_mina_ataganden_lists_the_users_open_uppdrag(client_for, styrgrupp, member_user, book):
    meeting = book(styrgrupp)
    own = styrgrupp.members.get(user=member_user)
    minutes.add_assignment(meeting=meeting, what="Sammanställ statistik", owner=own)
    minutes.add_assignment(meeting=meeting, what="Någon annans", owner=styrgrupp.members.last())
    body = client_for(member_user).get(reverse("plans:commitments")).content.decode()
    assert "Sammanställ statistik" in body and "Någon annans" not in body


def test_a_done_uppdrag_leaves_mina_ataganden(client_for, styrgrupp, member_user, book):
    meeting = book(styrgrupp)
    own = styrgrupp.members.get(user=member_user)
    task = minutes.add_assignment(meeting=meeting, what="Sammanställ statistik", owner=own)
    minutes.mark_done(task)
    body = client_for(member_user).get(reverse("plans:commitments")).content.decode()
    assert "Sammanställ statistik" not in body


@pytest.mark.django_db
def test_send_reminders_reminds_group_members_too(styrgrupp, book):
    meeting = book(styrgrupp, days=1)
    invitations.send_invitations(meeting)
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "8 påminnelser om gruppmöten köade." in out.getvalue()
    assert GroupAttendee.objects.filter(reminded_at__isnull=False).count() == 8
