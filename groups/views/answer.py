"""The answer page behind the kallelse's link: no login (the signed key is the right)."""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ..forms import AnswerForm
from ..services import invitations


@login_not_required
@require_http_methods(["GET", "POST"])
def answer(request, token):
    try:
        attendee = invitations.attendee_from_token(token)
    except invitations.LinkError as error:
        return render(request, "link_error.html", {"message": str(error)}, status=400)
    form = AnswerForm(request.POST or None, initial={"answer": attendee.answer})
    done, status = False, 200
    if request.method == "POST":
        if form.is_valid():
            try:
                attendee = invitations.record_answer(
                    attendee,
                    answer=form.cleaned_data["answer"],
                    name=form.cleaned_data["substitute_name"],
                    email=form.cleaned_data["substitute_email"],
                )
                done = True
            except ValidationError as error:
                for field, errs in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
        if not done:
            status = 400
    meeting = attendee.meeting
    return render(
        request,
        "groups/answer.html",
        {
            "attendee": attendee,
            "meeting": meeting,
            "group": meeting.group,
            "when": invitations.when(meeting),
            "items": list(meeting.items.all()),
            "form": form,
            "done": done,
        },
        status=status,
    )
