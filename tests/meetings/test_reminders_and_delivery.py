"""On the meeting page (issue 16): who was reminded and when, "Påminn" for those who have not
answered (a double click sends one), and a kallelse that failed and waits for its next
attempt shown as such, not as "Köad"."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from django.utils import formats, timezone

from cases.models import CaseEvent
from meetings.enums import Answer, MeetingAction
from meetings.services import invitations
from outbox.enums import MessageState
from outbox.models import OutboundMessage
from outbox.sending import send_message
from outbox.services import delivery_status
from tests.factories import ConsentFactory, MeetingFactory, ParticipantFactory
from tests.live import free_port


@pytest.fixture
def meeting(case, convener, orgs):
    ConsentFactory(
        case=case,
        organisations=list(orgs.values()),
        given_on=timezone.localdate() - timedelta(days=1),
    )
    return MeetingFactory(
        case=case,
        convened_by=convener,
        convening_organisation=convener.organisation,
        starts_at=timezone.now() + timedelta(days=1),
        ends_at=timezone.now() + timedelta(days=1, hours=1),
    )


@pytest.fixture
def vera(meeting, orgs):
    return ParticipantFactory(
        meeting=meeting,
        kind="staff",
        organisation=orgs["vc"],
        name="Vera Vård",
        email="vera@rjl.example",
    )


@pytest.fixture
def invited(meeting, vera, convener):
    invitations.send_invitations(meeting=meeting, user=convener)
    return meeting


def page(client, convener, meeting) -> str:
    client.force_login(convener)
    return client.get(meeting.get_absolute_url()).content.decode()


def reminders_to(person):
    return OutboundMessage.objects.filter(to_email=person.email, subject__startswith="Påminnelse")


# --- delivery states ---------------------------------------------------------------------


def test_a_failed_send_waiting_for_its_next_attempt_is_not_queued():
    at = timezone.localtime().replace(hour=14, minute=5, second=0, microsecond=0)
    status = delivery_status(MessageState.QUEUED, 1, at)
    assert status.label == "Misslyckades, nytt försök 14:05" and status.css == "failed"
    assert delivery_status(MessageState.QUEUED, 0, timezone.now()).label == "Köad"
    failed = delivery_status(MessageState.FAILED, 6, None)
    assert failed.label == "Misslyckades – skicka igen" and failed.needs_resend


def test_the_meeting_page_shows_a_failed_kallelse_and_its_next_attempt(
    client, invited, vera, convener, settings
):
    # A real send to a mail server that is not there: refused, retried later.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    message = OutboundMessage.objects.get(to_email=vera.email)
    send_message(message.pk)
    message.refresh_from_db()
    assert message.state == MessageState.QUEUED and message.attempts == 1
    retry = timezone.localtime(message.next_attempt_at)
    content = page(client, convener, invited)
    assert f"Misslyckades, nytt försök {retry:%H:%M}" in content

    OutboundMessage.objects.filter(pk=message.pk).update(state=MessageState.FAILED)
    content = page(client, convener, invited)
    assert "Misslyckades – skicka igen" in content
    assert "Skicka igen" in content


# --- reminders -----------------------------------------------------------------------------


def test_an_automatic_reminder_shows_who_and_when(client, invited, vera, convener):
    assert invitations.send_reminders(days_before=2) == 1
    vera.refresh_from_db()
    content = page(client, convener, invited)
    when = formats.date_format(timezone.localtime(vera.reminded_at), "j M H:i")
    assert f"Påmind {when}" in content
    event = CaseEvent.objects.get(action=MeetingAction.REMINDED)
    assert event.data["participant"] == vera.pk and event.user is None


def test_pamin_sends_one_reminder_even_when_clicked_twice(client, invited, vera, convener):
    content = page(client, convener, invited)
    url = reverse("meetings:remind", args=[invited.pk, vera.pk])
    assert f'action="{url}"' in content
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302
    assert reminders_to(vera).count() == 1
    vera.refresh_from_db()
    assert vera.reminded_at is not None
    event = CaseEvent.objects.get(action=MeetingAction.REMINDED)
    assert event.user == convener and event.data["participant"] == vera.pk
    # Nor does the hourly run remind them again.
    assert invitations.send_reminders(days_before=2) == 0


def test_no_pamin_for_someone_who_has_answered(client, invited, vera, convener):
    invitations.record_answer(participant=vera, answer=Answer.ATTENDING)
    url = reverse("meetings:remind", args=[invited.pk, vera.pk])
    assert f'action="{url}"' not in page(client, convener, invited)
    response = client.post(url, follow=True)
    assert "kan inte påminnas" in response.content.decode()
    assert not reminders_to(vera).exists()


def test_no_pamin_before_the_kallelse_has_gone(client, meeting, vera, convener):
    url = reverse("meetings:remind", args=[meeting.pk, vera.pk])
    assert f'action="{url}"' not in page(client, convener, meeting)
    client.post(url)
    assert not reminders_to(vera).exists()


# --- make run: reminders without cron ------------------------------------------------------


def test_the_development_runner_schedules_reminders(tmp_path):
    """bin/run-dev runs `bin/every REMINDER_INTERVAL manage.py send_reminders` beside the
    server; bin/every runs its command at once and then every interval until stopped."""
    run_dev = (django_settings.BASE_DIR / "bin" / "run-dev").read_text()
    assert "bin/every" in run_dev and "send_reminders" in run_dev
    marks = tmp_path / "marks"
    script = f"open({str(marks)!r}, 'a').write('x')"
    process = subprocess.Popen(  # noqa: S603
        [str(django_settings.BASE_DIR / "bin" / "every"), "0.3", sys.executable, "-c", script],
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and len(marks.read_text() if marks.exists() else "") < 3:
            time.sleep(0.1)
        assert marks.exists() and len(marks.read_text()) >= 3
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
