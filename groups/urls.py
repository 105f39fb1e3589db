from django.urls import path

from .views import answer, editing, groups, meetings, minutes

app_name = "groups"

urlpatterns = [
    path("", groups.group_list, name="list"),
    path("ny/", groups.group_create, name="create"),
    path("<int:pk>/", groups.group_detail, name="detail"),
    path("<int:pk>/installningar/", groups.group_edit, name="edit"),
    path("<int:pk>/medlemmar/ny/", groups.member_add, name="member_add"),
    path("<int:pk>/medlemmar/<int:member_pk>/", groups.member_edit, name="member_edit"),
    path("<int:pk>/bekrafta/", groups.roster_confirm, name="roster_confirm"),
    path("<int:pk>/medlemmar.pdf", groups.roster_pdf, name="roster_pdf"),
    path("<int:pk>/medlemmar.<str:file_format>", groups.roster_export, name="roster_export"),
    path("<int:pk>/moten/nytt/", meetings.meeting_create, name="meeting_create"),
    path("moten/<int:pk>/", meetings.meeting_detail, name="meeting"),
    path("moten/<int:pk>/kalla/", meetings.meeting_send, name="meeting_send"),
    path("moten/<int:pk>/stall-in/", meetings.meeting_cancel, name="meeting_cancel"),
    path("moten/<int:pk>/flytta/", editing.meeting_move, name="meeting_move"),
    path("moten/<int:pk>/punkter/ny/", editing.item_add, name="item_add"),
    path("moten/<int:pk>/punkter/<int:item_pk>/", editing.item_edit, name="item_edit"),
    path("moten/<int:pk>/punkter/<int:item_pk>/flytta/", editing.item_move, name="item_move"),
    path("moten/<int:pk>/punkter/<int:item_pk>/ta-bort/", editing.item_remove, name="item_remove"),
    path(
        "moten/<int:pk>/punkter/<int:item_pk>/bakgrund/",
        meetings.item_attach,
        name="item_attach",
    ),
    path(
        "moten/<int:pk>/bakgrund/<int:attachment_pk>.pdf",
        meetings.attachment_download,
        name="attachment",
    ),
    path("moten/<int:pk>/anteckningar/", minutes.minutes_page, name="minutes"),
    path("moten/<int:pk>/anteckningar/spara/", minutes.autosave, name="autosave"),
    path("moten/<int:pk>/anteckningar/narvaro/", minutes.attendance, name="attendance"),
    path("moten/<int:pk>/anteckningar/uppdrag/", minutes.assignment_add, name="assignment_add"),
    path("moten/<int:pk>/anteckningar/faststall/", minutes.freeze, name="freeze"),
    path("moten/<int:pk>/anteckningar/skicka/", minutes.send, name="send_minutes"),
    path("moten/<int:pk>/minnesanteckningar.pdf", minutes.minutes_pdf, name="minutes_pdf"),
    path("uppdrag/", minutes.my_assignments, name="my_assignments"),
    path("uppdrag/<int:assignment_pk>/", editing.assignment_edit, name="assignment_edit"),
    path("uppdrag/<int:assignment_pk>/klart/", minutes.assignment_done, name="assignment_done"),
    # The kallelse's answer link: no login; the token is redacted from logs (/svar/).
    path("svar/<str:token>/", answer.answer, name="answer"),
]
