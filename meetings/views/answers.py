"""Pages reached from links in e-mail, without logging in.

They show the meeting's kind, date, time and place, and the answer page also its
purpose, frågeställningar and convener (meetings.services.answer_page): the link may be
forwarded, so nothing on them names the individual.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View

from ..forms.answers import AnswerForm, NameCaseworkerForm
from ..services import answer_page, invitations


@method_decorator(login_not_required, name="dispatch")
class TokenPageView(View):
    salt = invitations.ANSWER_SALT
    template_name = ""
    form_class = None

    def dispatch(self, request, *args, **kwargs):
        try:
            self.participant = invitations.participant_from_token(kwargs["token"], salt=self.salt)
        except invitations.LinkError as error:
            return render(request, "link_error.html", {"message": str(error)}, status=400)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, *, done=False, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "participant": self.participant,
                "meeting": self.participant.meeting,
                "form": form,
                "done": done,
                "details": answer_page.public_details(self.participant.meeting),
            },
            status=status,
        )

    def form_kwargs(self) -> dict:
        return {}

    def get(self, request, *args, **kwargs):
        return self.render(self.form_class(**self.form_kwargs()))


class AnswerView(TokenPageView):
    template_name = "meetings/answer.html"
    form_class = AnswerForm

    def form_kwargs(self) -> dict:
        return {
            "may_name_substitute": invitations.may_name_substitute(self.participant),
            "party": self.participant.party_name,
        }

    def post(self, request, *args, **kwargs):
        form = AnswerForm(request.POST, request.FILES, **self.form_kwargs())
        if not form.is_valid():
            return self.render(form, status=400)
        data = form.cleaned_data
        try:
            invitations.record_answer(
                participant=self.participant,
                answer=data["answer"],
                substitute_name=data.get("substitute_name", ""),
                substitute_email=data.get("substitute_email", ""),
                comment=data.get("comment", ""),
                contribution_text=data.get("contribution_text", ""),
                contribution_file=data.get("contribution_file"),
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        self.participant.refresh_from_db()
        return self.render(form, done=True)


class DelegateView(TokenPageView):
    salt = invitations.DELEGATE_SALT
    template_name = "meetings/delegate.html"
    form_class = NameCaseworkerForm

    def post(self, request, *args, **kwargs):
        form = NameCaseworkerForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            # The confirmation names the one who gets the kallelse: the handläggare now.
            self.participant = invitations.name_caseworker(
                participant=self.participant,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.render(form, status=400)
        return self.render(form, done=True)
