"""The groups' rules, one test each."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from groups.enums import CancelReason, GroupAnswer, GroupMeetingStatus, TurnoutRule
from groups.models import GroupMember
from groups.services import booking, invitations, minutes, roster, rotation, turnout
from groups.services.calendar import calendar_uid, meeting_ics
from outbox.models import OutboundMessage
from plans.services.shared import Conflict

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\nstartxref\n0\n%%EOF\n"


def test_a_member_who_left_is_not_on_the_roster(styrgrupp):
    styrgrupp.members.filter(name="Ledamot 2").update(left_on=date(2020, 1, 1))
    names = [m.name for m in roster.current_members(styrgrupp)]
    assert "Ledamot 2" not in names and len(names) == 7


def test_a_left_date_before_the_joined_date_is_refused(styrgrupp):
    member = styrgrupp.members.first()
    member.joined_on, member.left_on = date(2026, 5, 1), date(2026, 4, 1)
    with pytest.raises(ValidationError) as error:
        roster.check_member(member)
    assert "left_on" in error.value.message_dict


def test_confirming_the_roster_sets_senast_bekraftad(styrgrupp):
    assert roster.confirm_roster(styrgrupp, today=date(2026, 12, 1)) == date(2026, 12, 1)
    styrgrupp.refresh_from_db()
    assert styrgrupp.members_confirmed_on == date(2026, 12, 1)


def test_the_csv_export_keeps_a_formula_as_text(styrgrupp):
    styrgrupp.members.filter(name="Ledamot 3").update(name="=HYPERLINK(1)")
    content = roster.export_csv(styrgrupp).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in content and content.startswith("Namn;Part")


def test_the_xlsx_export_lists_every_current_member(styrgrupp):
    import io

    import openpyxl

    sheet = openpyxl.load_workbook(io.BytesIO(roster.export_xlsx(styrgrupp))).active
    assert sheet.max_row == 9


def test_the_convener_rotates_to_the_next_after_the_last_meetings(styrgrupp, book):
    second = styrgrupp.members.get(rotation_order=2)
    book(styrgrupp, convener=second, days=-30)
    assert rotation.suggested_convener(styrgrupp).rotation_order == 3


def test_the_rotation_wraps_round_to_the_first(styrgrupp, book):
    book(styrgrupp, convener=styrgrupp.members.get(rotation_order=8), days=-30)
    assert rotation.suggested_convener(styrgrupp).rotation_order == 1


def test_a_meeting_needs_a_place_or_a_video_link(styrgrupp, book):
    with pytest.raises(ValidationError):
        book(styrgrupp, place="")


def test_booking_invites_every_current_member_with_the_agenda(styrgrupp, book):
    meeting = book(styrgrupp)
    assert meeting.attendees.count() == 8
    assert [i.title for i in meeting.items.all()] == ["Ekonomi", "Handlingsplan", "Övrigt"]


def test_background_material_must_be_a_real_pdf(styrgrupp, book):
    item = book(styrgrupp).items.first()
    with pytest.raises(ValidationError, match="PDF"):
        booking.attach_background(item, SimpleUploadedFile("a.pdf", b"not a pdf"))


def test_background_material_with_a_personnummer_in_its_name_is_refused(styrgrupp, book):
    item = book(styrgrupp).items.first()
    with pytest.raises(ValidationError, match="personnummer"):
        booking.attach_background(item, SimpleUploadedFile("19811218-9876.pdf", PDF))


def test_background_material_over_the_limit_is_refused(styrgrupp, book, settings):
    settings.MAX_UPLOAD_SIZE = 10
    item = book(styrgrupp).items.first()
    with pytest.raises(ValidationError, match="för stor"):
        booking.attach_background(item, SimpleUploadedFile("a.pdf", PDF))


def test_a_real_pdf_is_kept_without_its_name_in_the_path(styrgrupp, book):
    item = book(styrgrupp).items.first()
    attachment = booking.attach_background(item, SimpleUploadedFile("Budget 2027.pdf", PDF))
    assert attachment.filename == "Budget 2027.pdf" and "Budget" not in attachment.file.name


@pytest.mark.django_db(transaction=True)
def test_the_kallelse_goes_once_to_each_member_with_the_calendar_file(styrgrupp, book):
    meeting = book(styrgrupp)
    assert invitations.send_invitations(meeting) == 8
    assert invitations.send_invitations(meeting) == 0
    assert OutboundMessage.objects.filter(attachments_builder="groups.invitation").count() == 8


def test_the_calendar_uid_is_in_the_meetings_space(styrgrupp, book, settings):
    settings.CALENDAR_UID_DOMAIN = "samverk.example"
    meeting = book(styrgrupp)
    assert calendar_uid(meeting) == f"group-meeting-{meeting.pk}@samverk.example"
    ics = meeting_ics(meeting, meeting.attendees.first()).decode()
    assert f"UID:group-meeting-{meeting.pk}@samverk.example" in ics and "SEQUENCE:0" in ics


def test_a_change_sends_an_update_with_a_higher_sequence(styrgrupp, book):
    meeting = book(styrgrupp)
    invitations.send_invitations(meeting)
    assert invitations.notify_changed(meeting) == 8
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert "SEQUENCE:1" in meeting_ics(meeting, meeting.attendees.first()).decode()


def test_an_older_kallelse_is_superseded_by_the_change(styrgrupp, book):
    meeting = book(styrgrupp)
    invitations.send_invitations(meeting)
    first = OutboundMessage.objects.filter(attachments_builder="groups.invitation").first()
    invitations.notify_changed(meeting)
    assert invitations.message_superseded(first)


def test_cancelling_for_low_turnout_stores_the_reason_and_sends_cancel(styrgrupp, book):
    meeting = book(styrgrupp)
    invitations.send_invitations(meeting)
    assert invitations.cancel_for_low_turnout(meeting) == 8
    meeting.refresh_from_db()
    assert meeting.status == GroupMeetingStatus.CANCELLED
    assert meeting.cancel_reason == CancelReason.LOW_TURNOUT
    ics = meeting_ics(meeting, meeting.attendees.first(), method="CANCEL").decode()
    assert "METHOD:CANCEL" in ics and "SEQUENCE:1" in ics


def test_an_answer_by_link_is_recorded(styrgrupp, book):
    meeting = book(styrgrupp)
    attendee = meeting.attendees.first()
    found = invitations.attendee_from_token(invitations.answer_token(attendee))
    invitations.record_answer(found, answer=GroupAnswer.DECLINED)
    attendee.refresh_from_db()
    assert attendee.answer == GroupAnswer.DECLINED


def test_a_tampered_link_is_refused(styrgrupp, book):
    meeting = book(styrgrupp)
    token = invitations.answer_token(meeting.attendees.first())
    with pytest.raises(invitations.LinkError):
        invitations.attendee_from_token(token[:-2] + "xx")


def test_a_substitute_must_be_of_the_same_party(styrgrupp, book):
    meeting = book(styrgrupp)
    attendee = meeting.attendees.get(name="Ledamot 1")  # Sävsjö kommun, savsjo.se
    with pytest.raises(ValidationError) as error:
        invitations.record_answer(
            attendee, answer=GroupAnswer.SUBSTITUTE, name="Ersättare", email="e@rjl.se"
        )
    assert "substitute_email" in error.value.message_dict
    invitations.record_answer(
        attendee, answer=GroupAnswer.SUBSTITUTE, name="Ersättare", email="e@savsjo.se"
    )


def test_the_fraction_rule_warns_once_fewer_than_the_minimum_can_come(styrgrupp, book):
    meeting = book(styrgrupp)
    attendees = list(meeting.attendees.all())
    for a in attendees[:4]:
        a.answer = GroupAnswer.DECLINED
    assert turnout.turnout_shortfall(styrgrupp, attendees[:3] + attendees[4:]) is None
    for a in attendees[4:5]:
        a.answer = GroupAnswer.DECLINED
    assert turnout.turnout_shortfall(styrgrupp, attendees) is not None


def test_one_per_party_warns_when_a_party_cannot_come(styrgrupp, book):
    styrgrupp.turnout_rule = TurnoutRule.PER_PARTY
    meeting = book(styrgrupp)
    attendees = list(meeting.attendees.select_related("organisation"))
    for a in attendees:
        if a.organisation.name == "Försäkringskassan":
            a.answer = GroupAnswer.DECLINED
    assert "Försäkringskassan" in turnout.turnout_shortfall(styrgrupp, attendees)


def test_a_reminder_goes_once_to_those_who_have_not_answered(styrgrupp, book):
    meeting = book(styrgrupp, days=1)
    invitations.send_invitations(meeting)
    invitations.record_answer(meeting.attendees.first(), answer=GroupAnswer.ATTENDING)
    assert invitations.send_reminders() == 7
    assert invitations.send_reminders() == 0


def test_a_note_is_saved_with_a_new_version(styrgrupp, book):
    item = book(styrgrupp).items.first()
    assert minutes.save_item_field(item=item, field="notes", value="Budget ok", seen_version=0) == 1


def test_a_note_saved_by_someone_else_meanwhile_is_a_conflict(styrgrupp, book):
    item = book(styrgrupp).items.first()
    minutes.save_item_field(item=item, field="notes", value="A", seen_version=0)
    with pytest.raises(Conflict):
        minutes.save_item_field(item=item, field="notes", value="B", seen_version=0)
    item.refresh_from_db()
    assert item.notes == "A"


def test_saving_the_same_text_again_is_no_conflict(styrgrupp, book):
    item = book(styrgrupp).items.first()
    minutes.save_item_field(item=item, field="notes", value="A", seen_version=0)
    assert minutes.save_item_field(item=item, field="notes", value="A", seen_version=0) == 1


def test_a_note_over_the_limit_is_refused(styrgrupp, book):
    item = book(styrgrupp).items.first()
    with pytest.raises(ValidationError):
        minutes.save_item_field(item=item, field="notes", value="x" * 10_001, seen_version=0)


def test_an_uppdrag_needs_an_owner_of_the_group(styrgrupp, book, area):
    meeting = book(styrgrupp)
    stranger = GroupMember(group_id=0, name="X")
    with pytest.raises(ValidationError):
        minutes.add_assignment(meeting=meeting, what="Gör", owner=stranger)


def test_an_open_uppdrag_is_on_the_next_meetings_agenda_until_done(styrgrupp, book):
    first = book(styrgrupp, days=-7)
    owner = styrgrupp.members.first()
    task = minutes.add_assignment(meeting=first, what="Ta fram statistik", owner=owner)
    second = book(styrgrupp, days=20)
    assert list(minutes.carried_over(second)) == [task]
    minutes.mark_done(task)
    assert list(minutes.carried_over(second)) == []


def test_the_owners_open_uppdrag_are_theirs(styrgrupp, book, member_user):
    meeting = book(styrgrupp)
    owner = styrgrupp.members.get(user=member_user)
    minutes.add_assignment(meeting=meeting, what="Boka lokal", owner=owner)
    minutes.add_assignment(meeting=meeting, what="Annat", owner=styrgrupp.members.last())
    assert [a.what for a in minutes.open_assignments_for(member_user)] == ["Boka lokal"]


def test_fastställ_numbers_each_version(styrgrupp, book, coordinator):
    meeting = book(styrgrupp)
    assert minutes.freeze_minutes(meeting, user=coordinator).number == 1
    assert minutes.freeze_minutes(meeting, user=coordinator).number == 2


def test_minutes_are_sent_only_once_fastställda(styrgrupp, book, coordinator):
    meeting = book(styrgrupp)
    with pytest.raises(ValidationError):
        minutes.send_minutes(meeting)
    minutes.freeze_minutes(meeting, user=coordinator)
    assert minutes.send_minutes(meeting) == 8
    assert OutboundMessage.objects.filter(attachments_builder="groups.minutes").count() == 8


def test_the_minutes_pdf_has_the_notes(styrgrupp, book, coordinator):
    from pypdf import PdfReader  # noqa: I001
    import io

    from groups.services.documents import render_minutes_pdf

    meeting = book(styrgrupp)
    item = meeting.items.first()
    minutes.save_item_field(item=item, field="decisions", value="Beslut om budget", seen_version=0)
    minutes.freeze_minutes(meeting, user=coordinator)
    text = "".join(
        p.extract_text() for p in PdfReader(io.BytesIO(render_minutes_pdf(meeting))).pages
    )
    assert "Beslut om budget" in text


def test_members_do_not_include_those_who_left_in_the_future_sense(styrgrupp):
    future = timezone.localdate() + timedelta(days=30)
    GroupMember.objects.filter(name="Ledamot 4").update(left_on=future)
    assert roster.current_members(styrgrupp).count() == 8
