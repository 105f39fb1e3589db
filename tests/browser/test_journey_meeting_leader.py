"""The mötesledare's journey: runs the demo samverkansmöte for Alva Andersson (attendance,
roles, checklist), writes the handlingsplan, fastställer and signs it, and sends it out.

The demo handläggare convened the meeting, so they may run it.
"""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from meetings.enums import AgendaItem, Attendance, MeetingKind, ParticipantKind
from meetings.models import Meeting
from outbox.enums import MessageState
from plans.models import ActionPlan
from tests.helpers import HTMX_AT_REST, wait_until

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed").expect

pytestmark = pytest.mark.django_db(transaction=True)

CASE = "Alva Andersson"
EXCUSED_PARTY = "Försäkringskassan"
AGENDA = [
    "Presentationsrunda: namn, arbetsplats och roll i ärendet",
    "Redovisa om någon saknas",
    "Presentera syftet med mötet",
]
NOW_TEXT = "Alva är sjukskriven sedan i våras och vill tillbaka till arbete."
GOAL_TEXT = "Arbeta 25 % inom handeln före sommaren."
ACTION_WHAT = "Arbetsförmedlingen ordnar en arbetsprövning."
ACTION_WHO = "Kim på Arbetsförmedlingen"
SAVED = re.compile("Sparat")


def option_label(participant):
    """The option text of the role selects: name (part)."""
    if participant.party_name:
        return f"{participant.name} ({participant.party_name})"
    return participant.name


def settled(page):
    """Wait until htmx has settled the last answer: new content gets its behaviour (hx-post)
    only then, ~20 ms after the swap; a change before that is not sent."""
    wait_until(page, HTMX_AT_REST)


def test_meeting_leader_marks_attendance_and_writes_the_handlingsplan(
    demo_data, open_page, a11y, screenshot, send_outbox
):
    meeting = Meeting.objects.get(case__first_name="Alva", kind=MeetingKind.COLLABORATION)
    participants = list(meeting.participants.filter(removed_at__isnull=True))
    staff = next(p for p in participants if p.kind == ParticipantKind.STAFF)
    excused = next(p for p in participants if p.party_name == EXCUSED_PARTY)
    secretary = next(
        p for p in participants if p.kind == ParticipantKind.CONTACT and p is not excused
    )

    page = open_page("handlaggare")

    # Mina ärenden → Alva Andersson → the samverkansmöte → Genomför mötet.
    page.get_by_role("navigation").get_by_role("link", name="Mina ärenden").click()
    page.get_by_role("link", name=CASE).first.click()
    expect(page.get_by_role("heading", name=CASE, exact=True)).to_be_visible()
    page.get_by_role("region", name="Möten").get_by_role("link", name="Samverkansmöte").click()
    expect(page.get_by_role("heading", name=f"Samverkansmöte för {CASE}")).to_be_visible()
    page.get_by_role("link", name="Genomför mötet").click()
    expect(page.get_by_role("heading", name="Närvaro")).to_be_visible()
    a11y.check(page)

    # Attendance: everybody present but one, who sent word they could not come.
    status = page.locator("#run-status")
    for participant in participants:
        choice = "Anmält förhinder" if participant == excused else "Närvarande"
        page.get_by_label(f"Närvaro för {participant.name}").select_option(label=choice)
        expect(status).to_contain_text(f"{participant.name}: {choice}.")
        settled(page)
    expect(
        page.get_by_role("row").filter(has=page.get_by_role("rowheader", name=excused.name))
    ).to_have_class(re.compile("run-attendance-excused"))

    # Roles, among those present: the one who sent word is not offered.
    chair = page.get_by_label("Ordförande")
    expect(chair.locator("option", has_text=excused.name)).to_have_count(0)
    with page.expect_response(lambda r: r.url.endswith("/genomfor/roller/")):
        chair.select_option(label=option_label(staff))
    expect(status).to_contain_text("Rollerna är sparade.")
    settled(page)
    with page.expect_response(lambda r: r.url.endswith("/genomfor/roller/")):
        page.get_by_label("Sekreterare").select_option(label=option_label(secretary))
    expect(status).to_contain_text("Rollerna är sparade.")
    settled(page)
    expect(page.get_by_label("Sekreterare")).to_have_value(str(secretary.pk))
    expect(page.get_by_label("Ordförande")).to_have_value(str(staff.pk))

    # The checklist.
    for item in AGENDA:
        # One at a time: each answer replaces the whole checklist.
        with page.expect_response(lambda r: r.url.endswith("/genomfor/checklista/")):
            page.get_by_label(item).check()
        expect(status).to_contain_text("Checklistan är sparad.")
        settled(page)
        expect(page.get_by_label(item)).to_be_checked()

    # Oral consent, only when the written consent does not cover every party (in the demo
    # it does, so the page says so instead of offering the form).
    consent = page.get_by_role("region", name="Samtycke")
    oral = consent.get_by_role("button", name="Registrera muntligt samtycke")
    if oral.count():
        for box in consent.get_by_role("checkbox").all():
            box.check()
        oral.click()
        expect(status).to_contain_text("Muntligt samtycke är registrerat")
    else:
        expect(consent).to_contain_text("Aktuellt samtycke täcker alla parter vid mötet.")
    a11y.check(page)

    meeting.refresh_from_db()
    assert meeting.chair_id == staff.pk and meeting.secretary_id == secretary.pk
    excused.refresh_from_db()
    assert excused.attendance == Attendance.EXCUSED
    assert {AgendaItem(code).label for code in meeting.agenda_done} == set(AGENDA)

    # The handlingsplan: typed in, saved as it is typed.
    page.get_by_role("link", name="Skriv handlingsplanen").click()
    expect(page.get_by_role("heading", name=f"Handlingsplan för {CASE}")).to_be_visible()
    now_field = page.get_by_label("Hur är det nu?")
    now_field.click()
    now_field.press_sequentially(NOW_TEXT)
    expect(now_field).to_have_accessible_description(SAVED)
    expect(page.locator("#status-current_situation").get_by_text("Sparat")).to_be_visible()

    page.get_by_role("button", name="Lägg till mål").click()
    goal = page.get_by_role("textbox", name="Mål 1", exact=True)
    expect(goal).to_be_focused()
    settled(page)
    goal.fill(GOAL_TEXT)
    expect(goal).to_have_accessible_description(SAVED)

    decided = page.get_by_role("region", name="Det här har vi bestämt")
    decided.get_by_role("button", name="Lägg till beslut").click()
    what = decided.get_by_label("Vad", exact=True)
    expect(what).to_be_focused()
    settled(page)
    what.fill(ACTION_WHAT)
    expect(what).to_have_accessible_description(SAVED)
    due = timezone.localdate() + timedelta(days=30)
    decided.get_by_label("När", exact=True).fill(due.isoformat())
    expect(decided.get_by_label("När", exact=True)).to_have_accessible_description(SAVED)
    decided.get_by_label("Ansvarig part").select_option(label="Arbetsförmedlingen")
    expect(decided.get_by_label("Ansvarig part")).to_have_accessible_description(SAVED)
    decided.get_by_label("eller namn").fill(ACTION_WHO)
    expect(decided.get_by_label("eller namn")).to_have_accessible_description(SAVED)
    a11y.check(page)

    # Leaving the last field fires "change": saved text must not count as unsaved again.
    page.get_by_role("heading", level=1).click()
    expect(page.locator("#plan-global-status")).to_have_text("")

    # Reloaded, the page shows what was written.
    page.reload()
    expect(page.get_by_label("Hur är det nu?")).to_have_value(NOW_TEXT)
    expect(page.get_by_role("textbox", name="Mål 1", exact=True)).to_have_value(GOAL_TEXT)
    decided = page.get_by_role("region", name="Det här har vi bestämt")
    expect(decided.get_by_label("Vad", exact=True)).to_have_value(ACTION_WHAT)
    expect(decided.get_by_label("När", exact=True)).to_have_value(due.isoformat())
    expect(decided.get_by_label("eller namn")).to_have_value(ACTION_WHO)

    # Fastställ, then the individual's signature on paper.
    page.get_by_role("button", name="Fastställ version 1").click()
    expect(page.get_by_text("Version 1 är fastställd.")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"version 1$"))).to_be_visible()
    page.get_by_label("Vem signerar").select_option(label="Den enskilde")
    page.get_by_label("Signerat på papper").check()
    page.get_by_role("textbox", name=re.compile(r"^Namn")).fill(CASE)
    page.get_by_role("button", name="Registrera").click()
    expect(page.get_by_text("Underskriften är registrerad.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Den enskilde:")).to_contain_text(
        "signerat på papper"
    )
    a11y.check(page)

    # Send it to the participants.
    page.get_by_role("navigation", name="Brödsmulor").get_by_role(
        "link", name="Handlingsplan"
    ).click()
    page.get_by_role("button", name="Skicka handlingsplanen (version 1)").click()
    with_email = [p for p in participants if p.email]
    expect(
        page.get_by_text(f"Handlingsplanen skickas till {len(with_email)} mottagare.")
    ).to_be_visible()
    after = page.get_by_role("region", name="Efter mötet")
    expect(after.get_by_role("table")).to_contain_text("Köad")
    a11y.check(page)

    # The worker sends the outbox; every participant with e-mail got the plan.
    sent = send_outbox()
    assert len(sent) == len(with_email)
    for participant in with_email:
        assert any(participant.email in to for m in mail.outbox for to in m.to), participant
    assert ActionPlan.objects.get(meeting=meeting).versions.count() == 1

    # The plan page shows the delivery state per recipient.
    page.reload()
    table = page.get_by_role("region", name="Efter mötet").get_by_role("table")
    for participant in with_email:
        row = table.get_by_role("row").filter(has_text=participant.name)
        expect(row).to_contain_text("E-post med länk")
        expect(row).to_contain_text(str(MessageState.SENT.label))
    expect(table.get_by_role("row").filter(has_text=CASE)).to_contain_text("Brev med post")
    a11y.check(page)
    screenshot(page, "meeting-leader")

    a11y.assert_clean()
