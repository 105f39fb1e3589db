import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from groups.models import Assignment, Group, GroupMeeting, GroupMember


def counts():
    return (
        Group.objects.count(),
        GroupMember.objects.count(),
        GroupMeeting.objects.count(),
        Assignment.objects.count(),
    )


@pytest.mark.django_db
def test_demo_data_has_savsjos_groups_and_is_idempotent():
    call_command("load_demo_data", stdout=io.StringIO())
    first = counts()
    call_command("load_demo_data", stdout=io.StringIO())
    assert counts() == first
    groups = Group.objects.filter(area__slug="savsjo")
    assert sorted(groups.values_list("kind", flat=True)) == ["arbetsgrupp", "styrgrupp"]
    now = timezone.now()
    for group in groups:
        assert group.meetings.filter(starts_at__lt=now, notes_frozen_at__isnull=False).count() == 1
        assert group.meetings.filter(starts_at__gt=now).count() == 1
        assert group.members.filter(user__username="koordinator").exists()
