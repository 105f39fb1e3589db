from django.urls import path

from meetings.views import rooms

from .views import answers, booking, calendar, changes, documents, feed, meeting, polls, run

app_name = "meetings"

urlpatterns = [
    path("arenden/<int:case_pk>/boka/", booking.BookMeetingView.as_view(), name="book"),
    # "Föreslå tider" (issue 16)
    path(
        "arenden/<int:case_pk>/foresla-tider/",
        polls.ProposeTimesView.as_view(),
        name="propose_times",
    ),
    path("tidsforfragningar/<int:pk>/", polls.PollView.as_view(), name="poll"),
    path("tidsforfragningar/<int:pk>/valj/", polls.PickTimeView.as_view(), name="poll_pick"),
    path("tidsforfragningar/<int:pk>/paminn/", polls.RemindView.as_view(), name="poll_remind"),
    path("tidsforfragningar/<int:pk>/avbryt/", polls.CancelPollView.as_view(), name="poll_cancel"),
    path("tider/<str:token>/", polls.PollAnswerView.as_view(), name="poll_answer"),
    path("moten/<int:pk>/", meeting.MeetingDetailView.as_view(), name="detail"),
    path("moten/<int:pk>/flytta/", changes.RescheduleView.as_view(), name="reschedule"),
    path("moten/<int:pk>/stall-in/", changes.CancelView.as_view(), name="cancel"),
    path(
        "moten/<int:pk>/kallelse/", meeting.SendInvitationsView.as_view(), name="send_invitations"
    ),
    path("moten/<int:pk>/deltagare/", meeting.AddParticipantView.as_view(), name="add_participant"),
    path(
        "moten/<int:pk>/deltagare/forslag/",
        meeting.ContactSuggestionsView.as_view(),
        name="contact_suggestions",
    ),
    path(
        "moten/<int:pk>/deltagare/<int:participant_pk>/ta-bort/",
        meeting.RemoveParticipantView.as_view(),
        name="remove_participant",
    ),
    path(
        "moten/<int:pk>/deltagare/<int:participant_pk>/paminn/",
        meeting.RemindView.as_view(),
        name="remind",
    ),
    path("moten/<int:pk>/tolk/", meeting.InterpreterView.as_view(), name="interpreter"),
    path("svar/<str:token>/", answers.AnswerView.as_view(), name="answer"),
    path("anmal-handlaggare/<str:token>/", answers.DelegateView.as_view(), name="delegate"),
    # Prenumerera på mina möten (issue 16): the feed's token is hidden in logs (common.logging)
    path("min-kalender/", feed.SubscribeView.as_view(), name="subscribe"),
    path("min-kalender/ny-adress/", feed.RenewFeedView.as_view(), name="renew_feed"),
    path("kalenderprenumeration/<str:token>.ics", feed.FeedView.as_view(), name="feed"),
    # Week calendars
    path("kalender/", calendar.MyWeekView.as_view(), name="my_week"),
    path("kalender/<slug:area_slug>/", calendar.AreaWeekView.as_view(), name="area_week"),
    # Documents
    path(
        "moten/<int:pk>/kallelse.pdf",
        documents.InvitationPdfView.as_view(),
        name="invitation_pdf",
    ),
    path("moten/<int:pk>/brev.pdf", documents.LetterPdfView.as_view(), name="letter_pdf"),
    path("moten/<int:pk>/kalender.ics", documents.IcsView.as_view(), name="ics"),
    path(
        "moten/<int:pk>/underlag/<int:participant_pk>.pdf",
        documents.ContributionPdfView.as_view(),
        name="contribution_pdf",
    ),
    # "Genomför mötet"
    path("moten/<int:pk>/genomfor/", run.RunView.as_view(), name="run"),
    path("moten/<int:pk>/genomfor/starta/", run.StartView.as_view(), name="run_start"),
    path(
        "moten/<int:pk>/genomfor/narvaro/<int:participant_pk>/",
        run.AttendanceView.as_view(),
        name="run_attendance",
    ),
    path("moten/<int:pk>/genomfor/roller/", run.RolesView.as_view(), name="run_roles"),
    path("moten/<int:pk>/genomfor/checklista/", run.AgendaView.as_view(), name="run_agenda"),
    path("moten/<int:pk>/genomfor/oanmald/", run.WalkInView.as_view(), name="run_walk_in"),
    path(
        "moten/<int:pk>/genomfor/samtycke/",
        run.OralConsentView.as_view(),
        name="run_oral_consent",
    ),
    # The area's meeting rooms, kept by its coordinator (issue 18).
    path("omraden/<slug:area_slug>/motesrum/", rooms.RoomListView.as_view(), name="room_list"),
    path(
        "omraden/<slug:area_slug>/motesrum/ny/", rooms.RoomCreateView.as_view(), name="room_create"
    ),
    path(
        "omraden/<slug:area_slug>/motesrum/<int:pk>/",
        rooms.RoomUpdateView.as_view(),
        name="room_update",
    ),
]
